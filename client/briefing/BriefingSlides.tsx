/**
 * One briefing's page: its slides in order, each with its window, layers and the start of its
 * notes; reorder by dragging or with the up/down buttons, duplicate, delete, rename, edit a
 * title or the notes in place, and "edit view", which opens the desk on the slide's view with an
 * editing bar. Every change is saved at once with the version it was made from (data.ts).
 */
import { useEffect, useRef, useState } from 'react';
import { BRIEFING_LIMITS } from '../../domain/briefing';
import { useT } from '../i18n';
import { viewToSearch } from '../state/view';
import { useView } from '../state/viewStore';
import { BriefingHeader } from './BriefingHeader';
import { ConflictBar } from './ConflictBar';
import { briefingHref, useBriefingEditor, type BriefingDoc } from './data';
import { startEditSession } from './editSession';
import { layersOn, moveSlide, viewOfSlide, windowLabel, type Slide } from './slideView';
import { useBriefingT } from './texts';
import { useMayChange } from './useOwner';

export function BriefingSlides({ id }: { id: number }) {
  const t = useBriefingT();
  const lang = useView((s) => s.lang);
  const ed = useBriefingEditor(id);
  const mayChange = useMayChange(ed.query.data?.owner.username);
  const { doc } = ed;
  const setSlides = (slides: Slide[]) => ed.change({ slides });
  return (
    <div className="briefing-page">
      <BriefingHeader title={doc?.title ?? ''} back="list">
        {doc && (
          <a className="btn primary" href={briefingHref(id, lang, 'present')} data-testid="present">
            ▶ {t.present}
          </a>
        )}
        <SaveStatus kind={ed.state.kind} />
      </BriefingHeader>
      <main className="briefing-main">
        <ConflictBar
          state={ed.state}
          onTheirs={() => void ed.loadTheirs()}
          onCopy={() =>
            void ed
              .saveCopy(t.copySuffix)
              .then((c) => c && window.location.assign(briefingHref(c, lang)))
          }
        />
        {ed.query.isLoading && <p className="muted">{t.loading}</p>}
        {ed.query.isError && (
          <p className="banner" role="alert">
            {ed.query.error.data?.code === 'NOT_FOUND' ? t.notFound : ed.query.error.message}
          </p>
        )}
        {doc && (
          <>
            <InlineText
              name="briefing-name"
              label={t.rename}
              value={doc.title}
              disabled={!mayChange}
              onCommit={(title) => title && ed.change({ title })}
            />
            {!mayChange && <p className="muted">{t.readOnly}</p>}
            {doc.slides.length === 0 && <p className="empty">{t.noSlides}</p>}
            <SlideList
              doc={doc}
              mayChange={mayChange}
              canEditView={mayChange && (ed.state.kind === 'idle' || ed.state.kind === 'saved')}
              onSlides={setSlides}
            />
          </>
        )}
      </main>
    </div>
  );
}

function SaveStatus({ kind }: { kind: string }) {
  const t = useBriefingT();
  if (kind !== 'saving' && kind !== 'saved') return null;
  return (
    <span className="muted" data-testid="save-status" data-state={kind}>
      {kind === 'saving' ? t.saving : t.saved}
    </span>
  );
}

function SlideList(props: {
  doc: BriefingDoc;
  mayChange: boolean;
  canEditView: boolean;
  onSlides: (s: Slide[]) => void;
}) {
  const { doc, mayChange, onSlides } = props;
  const [dragged, setDragged] = useState<number | null>(null);
  const [over, setOver] = useState<number | null>(null);
  const slides = doc.slides;
  // a slide moved by its button keeps the keyboard's focus on that button in its new place
  const list = useRef<HTMLOListElement>(null);
  const [focus, setFocus] = useState<Focus | null>(null);
  useEffect(() => {
    if (!focus) return;
    const card = list.current?.querySelectorAll('[data-testid=slide]')[focus.index];
    const buttons = [focus.button, focus.button === 'slide-up' ? 'slide-down' : 'slide-up'];
    buttons
      .map((b) => card?.querySelector<HTMLButtonElement>(`[data-testid=${b}]`))
      .find((b) => b && !b.disabled)
      ?.focus();
    setFocus(null);
  }, [focus, slides]);
  return (
    <ol className="slide-list" data-testid="slide-list" ref={list}>
      {slides.map((s, i) => (
        <li
          // a slide has no id of its own: its place and title name it while it is shown
          key={`${i}:${s.title}`}
          className={`slide-card ${over === i && dragged !== i ? 'drop' : ''}`}
          data-testid="slide"
          draggable={mayChange}
          onDragStart={(e) => {
            setDragged(i);
            e.dataTransfer.effectAllowed = 'move';
            e.dataTransfer.setData('text/plain', String(i));
          }}
          onDragOver={(e) => {
            if (dragged === null) return;
            e.preventDefault();
            setOver(i);
          }}
          onDragLeave={() => setOver((o) => (o === i ? null : o))}
          onDrop={(e) => {
            e.preventDefault();
            if (dragged !== null && dragged !== i) onSlides(moveSlide(slides, dragged, i));
            setDragged(null);
            setOver(null);
          }}
          onDragEnd={() => {
            setDragged(null);
            setOver(null);
          }}
        >
          <SlideCard
            {...props}
            slide={s}
            index={i}
            act={slideActions(slides, i, onSlides, setFocus)}
          />
        </li>
      ))}
    </ol>
  );
}

/** A move button to focus once the slides are shown in their new order. */
interface Focus {
  index: number;
  button: 'slide-up' | 'slide-down';
}

/** What can be done to the slide at `i` of `slides`: each gives the slides after it. */
function slideActions(
  slides: Slide[],
  i: number,
  onSlides: (s: Slide[]) => void,
  onFocus: (f: Focus) => void,
) {
  return {
    change: (next: Slide) => onSlides(slides.map((x, j) => (j === i ? next : x))),
    move: (to: number) => {
      onSlides(moveSlide(slides, i, to));
      onFocus({ index: to, button: to < i ? 'slide-up' : 'slide-down' });
    },
    duplicate: () =>
      onSlides([...slides.slice(0, i + 1), structuredClone(slides[i]!), ...slides.slice(i + 1)]),
    remove: () => onSlides(slides.filter((_, j) => j !== i)),
  };
}

function SlideCard(props: {
  slide: Slide;
  index: number;
  doc: BriefingDoc;
  mayChange: boolean;
  canEditView: boolean;
  act: ReturnType<typeof slideActions>;
}) {
  const t = useBriefingT();
  const app = useT();
  const lang = useView((s) => s.lang);
  const { slide, index, mayChange } = props;
  const layers = layersOn(slide.view);
  const editView = () => {
    startEditSession({
      briefingId: props.doc.id,
      version: props.doc.version,
      title: props.doc.title,
      slides: props.doc.slides,
      index,
    });
    const view = viewOfSlide(slide.view, { mode: 'desk', lang }, slide.comparison);
    window.location.assign(`/?${viewToSearch(view)}`);
  };
  return (
    <>
      <div className="slide-no" title={mayChange ? t.dragHint : undefined} aria-hidden>
        {mayChange && <span className="grip">⠿</span>}
        {index + 1}
      </div>
      <div className="slide-body">
        <InlineText
          name="slide-title"
          label={t.slideTitle}
          value={slide.title}
          disabled={!mayChange}
          onCommit={(title) => props.act.change({ ...slide, title })}
        />
        <div className="slide-meta">
          <span data-testid="slide-window">
            {t.window}: {windowLabel(slide.view.window, app.preset)}
          </span>
          <span data-testid="slide-layers">
            {t.layers}: {layers.length ? layers.map(app.layer).join(t.list) : t.noLayers}
          </span>
        </div>
        <InlineText
          name="slide-notes"
          label={t.notes}
          value={slide.notes}
          disabled={!mayChange}
          multiline
          placeholder={t.notesPlaceholder}
          onCommit={(notes) => props.act.change({ ...slide, notes })}
        />
      </div>
      {mayChange && (
        <div className="slide-actions">
          <button
            className="btn"
            disabled={index === 0}
            onClick={() => props.act.move(index - 1)}
            aria-label={`${t.up} ${index + 1}`}
            data-testid="slide-up"
          >
            ↑
          </button>
          <button
            className="btn"
            disabled={index === props.doc.slides.length - 1}
            onClick={() => props.act.move(index + 1)}
            aria-label={`${t.down} ${index + 1}`}
            data-testid="slide-down"
          >
            ↓
          </button>
          <button className="btn" onClick={props.act.duplicate} data-testid="slide-duplicate">
            {t.duplicate}
          </button>
          <button className="btn danger" onClick={props.act.remove} data-testid="slide-delete">
            {t.remove}
          </button>
          <button
            className="btn primary"
            disabled={!props.canEditView}
            onClick={editView}
            data-testid="slide-edit-view"
          >
            {t.editView}
          </button>
        </div>
      )}
    </>
  );
}

/**
 * A title (one line, committed on Enter) or notes (several lines), shown as a field and committed
 * when it loses focus; `name` is its class and its test id.
 */
function InlineText(props: {
  name: string;
  label: string;
  value: string;
  onCommit: (v: string) => void;
  disabled: boolean;
  multiline?: boolean;
  placeholder?: string;
}) {
  const [draft, setDraft] = useState<string | null>(null);
  const commit = () => {
    if (draft !== null && draft.trim() !== props.value) props.onCommit(draft.trim());
    setDraft(null);
  };
  const common = {
    className: `inline-text ${props.name}`,
    value: draft ?? props.value,
    'aria-label': props.label,
    placeholder: props.placeholder,
    disabled: props.disabled,
    maxLength: props.multiline ? BRIEFING_LIMITS.notes : BRIEFING_LIMITS.title,
    'data-testid': props.name,
    onBlur: commit,
  };
  return props.multiline ? (
    <textarea {...common} rows={3} onChange={(e) => setDraft(e.target.value)} />
  ) : (
    <input
      {...common}
      onChange={(e) => setDraft(e.target.value)}
      onKeyDown={(e) => {
        if (e.key === 'Enter') (e.target as HTMLInputElement).blur();
        if (e.key === 'Escape') setDraft(null);
      }}
    />
  );
}
