/**
 * Presenting a briefing (`/briefing/<id>/present`): one slide at a time on the desk's own map
 * (DeskMap, with the slide's view put into the view store, so that whatever the desk's map shows
 * shows here too), flying from each slide's camera to the next. Keys and clickers move between
 * slides; every slide's data is fetched when presenting starts, and a slide is shown only once
 * its data is all here. Sized for a projector: a large title, labels and legend scaled up.
 * The presenter view (a second window) follows it and drives it (channel.ts).
 */
import { useEffect, useState } from 'react';
import { DeskMap } from '../desk/DeskApp';
import { ChangeTable } from './compare/ChangeTable';
import { useT } from '../i18n';
import { useView } from '../state/viewStore';
import { useAnnotations } from './annotations/store';
import { stepTo, usePresenterChannel, useSlideKeys } from './channel';
import { briefingHref, useBriefing } from './data';
import { useSlidesReady } from './prefetch';
import { layersOn, viewOfSlide, windowLabel, type Slide } from './slideView';
import { useBriefingT } from './texts';

/** Community labels on a projector, in pixels (the desk's are 14). */
export const PRESENT_LABEL_SIZE = 22;
/** Seconds of the fly from one slide's camera to the next. */
export const PRESENT_FLY_SECONDS = 1.6;
/** The communities whose incidents changed most, shown beside a compared slide's map. */
export const PRESENT_CHANGE_ROWS = 8;

export function Presenter({ id }: { id: number }) {
  const t = useBriefingT();
  const q = useBriefing(id);
  if (q.isLoading) return <div className="splash">{t.loading}</div>;
  if (!q.data)
    return (
      <div className="splash" role="alert">
        {q.error?.data?.code === 'NOT_FOUND' ? t.notFound : q.error?.message}
      </div>
    );
  return <Presenting id={id} title={q.data.title} slides={q.data.slides} />;
}

/** Puts a slide's view and drawings where the desk's map reads them. */
function putOnMap(slide: Slide) {
  const { mode, lang } = useView.getState();
  useView.getState().replace(viewOfSlide(slide.view, { mode, lang }, slide.comparison));
  useAnnotations.setState({ annotations: slide.annotations, editing: false });
}

function Presenting(props: { id: number; title: string; slides: Slide[] }) {
  const t = useBriefingT();
  const app = useT();
  const lang = useView((s) => s.lang);
  const { slides } = props;
  const ready = useSlidesReady(slides);
  /** the slide asked for, and the one on screen (the last one whose data was all here) */
  const [target, setTarget] = useState(0);
  const [shown, setShown] = useState<number | null>(null);
  const [startedAt, setStartedAt] = useState(() => Date.now());
  const post = usePresenterChannel(props.id, (m) => {
    if (m.type === 'hello') post({ type: 'state', index: shown ?? target, startedAt });
    if (m.type === 'step') setTarget((i) => stepTo(i, m.by, slides.length));
  });
  useSlideKeys((by) => setTarget((i) => stepTo(i, by, slides.length)));

  useEffect(() => {
    const slide = slides[target];
    if (!slide || !ready[target] || shown === target) return;
    putOnMap(slide);
    setShown(target);
  }, [target, ready, shown, slides]);
  useEffect(() => {
    if (shown !== null) post({ type: 'state', index: shown, startedAt });
    // post is made anew each render; the state is what matters
  }, [shown, startedAt]);

  const start = () => {
    setStartedAt(Date.now());
    void document.documentElement.requestFullscreen?.().catch(() => undefined);
  };
  const openNotes = () =>
    window.open(briefingHref(props.id, lang, 'notes'), `pingan-notes-${props.id}`, 'popup');

  const slide = shown === null ? null : slides[shown]!;
  const waiting = shown === null || shown !== target;
  const readyCount = ready.filter(Boolean).length;
  if (!slides.length)
    return (
      <div className="splash">
        <p>{t.noSlides}</p>
        <a className="btn" href={briefingHref(props.id, lang)}>
          {t.exit}
        </a>
      </div>
    );
  return (
    <div
      className="presenting"
      data-testid="presenting"
      data-slide={shown ?? ''}
      data-waiting={waiting ? 'true' : 'false'}
    >
      {slide && (
        <DeskMap
          labelSize={PRESENT_LABEL_SIZE}
          flyDuration={PRESENT_FLY_SECONDS}
          interactive={false}
          extent={slide.view.extent ?? 'camera'}
        />
      )}
      {slide?.comparison && (
        <aside className="present-changes" data-testid="present-changes">
          <ChangeTable limit={PRESENT_CHANGE_ROWS} />
        </aside>
      )}
      {slide && (
        <div className="present-title" data-testid="present-title">
          <h1>{slide.title}</h1>
          <p className="present-sub">
            <span data-testid="present-window">{windowLabel(slide.view.window, app.preset)}</span>
            {layersOn(slide.view).length > 0 && (
              <span> · {layersOn(slide.view).map(app.layer).join(t.list)}</span>
            )}
          </p>
        </div>
      )}
      {waiting && (
        <div className="present-wait" role="status" data-testid="present-wait">
          {t.preparing(readyCount, slides.length)}
        </div>
      )}
      <footer className="present-bar">
        <button className="btn" onClick={start} onMouseUp={blur} data-testid="present-start">
          ⛶ {t.start}
        </button>
        <button className="btn" onClick={openNotes} onMouseUp={blur} data-testid="present-notes">
          {t.presenterView}
        </button>
        <span className="spacer" />
        <button
          className="btn"
          aria-label={t.prev}
          disabled={target === 0}
          onClick={() => setTarget((i) => stepTo(i, -1, slides.length))}
          onMouseUp={blur}
        >
          ◀
        </button>
        <span className="num counter" data-testid="present-counter">
          {t.counter(target + 1, slides.length)}
        </span>
        <button
          className="btn"
          aria-label={t.next}
          disabled={target === slides.length - 1}
          onClick={() => setTarget((i) => stepTo(i, 1, slides.length))}
          onMouseUp={blur}
        >
          ▶
        </button>
        <span className="spacer" />
        <span className="muted hint">{t.keysHint}</span>
        <a className="btn" href={briefingHref(props.id, lang)} data-testid="present-exit">
          {t.exit}
        </a>
      </footer>
    </div>
  );
}

/** A clicked button gives its focus back, so that Space moves the slides, not the button. */
const blur = (e: React.MouseEvent<HTMLElement>) => e.currentTarget.blur();
