/**
 * The presenter view (`/briefing/<id>/notes`, a second window opened from presenting): the slide
 * on the main screen with its speaker notes, large, the next slide's title, the count and the
 * time since presenting started. It follows the main window, and its keys move the main window.
 */
import { useEffect, useState } from 'react';
import { elapsedText, stepTo, usePresenterChannel, useSlideKeys } from './channel';
import { useBriefing } from './data';
import { useBriefingT } from './texts';

export function PresenterNotes({ id }: { id: number }) {
  const t = useBriefingT();
  const q = useBriefing(id);
  const [state, setState] = useState<{ index: number; startedAt: number } | null>(null);
  const [now, setNow] = useState(Date.now);
  const post = usePresenterChannel(id, (m) => {
    if (m.type === 'state') setState({ index: m.index, startedAt: m.startedAt });
  });
  useEffect(() => {
    post({ type: 'hello' });
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
    // once: the channel is open by the time this effect runs (it opens in an earlier one)
  }, []);
  useSlideKeys((by) => post({ type: 'step', by }));
  const slides = q.data?.slides ?? [];
  const index = state ? stepTo(state.index, 0, slides.length) : 0;
  const slide = slides[index];
  const next = slides[index + 1];
  return (
    <div className="presenter-notes" data-testid="presenter-notes">
      <header>
        <span className="num counter" data-testid="notes-counter">
          {slides.length ? t.counter(index + 1, slides.length) : ''}
        </span>
        <span className="title">{q.data?.title}</span>
        <span className="num elapsed">
          {t.elapsed} {state ? elapsedText(now - state.startedAt) : '--:--'}
        </span>
      </header>
      {!state && <p className="muted">{t.waiting}</p>}
      {slide && (
        <main>
          <h1 data-testid="notes-title">{slide.title}</h1>
          <div className="notes" data-testid="notes-text">
            {slide.notes || <span className="muted">{t.noNotes}</span>}
          </div>
        </main>
      )}
      <footer>
        <span className="muted">{t.nextUp}:</span> {next ? next.title : t.theEnd}
        <span className="spacer" />
        <button className="btn" onClick={() => post({ type: 'step', by: -1 })}>
          ◀ {t.prev}
        </button>
        <button className="btn" onClick={() => post({ type: 'step', by: 1 })}>
          {t.next} ▶
        </button>
      </footer>
    </div>
  );
}
