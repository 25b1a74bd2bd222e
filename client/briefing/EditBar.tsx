/**
 * The bar over the desk while a slide's view is edited (editSession.ts): the whole desk changes
 * the view, the drawing tools come out (useAnnotations editing), and "save to slide" stores the
 * view and the drawings in the slide with the version editing began from. If the briefing was
 * saved by someone else meanwhile, nothing is lost: load theirs, or save the briefing with this
 * slide as a new briefing.
 */
import { extentShown } from '../map/shownMap';
import { useEffect, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { useTRPC, useTRPCClient } from '../data/trpc';
import { useView, viewOf } from '../state/viewStore';
import { useAnnotations } from './annotations/store';
import { ConflictBar } from './ConflictBar';
import { briefingHref, copyTitle, errorCode, type SaveState } from './data';
import { endEditSession, readEditSession, type EditSession } from './editSession';
import { slideViewOf, type Slide } from './slideView';
import { useBriefingT } from './texts';

/** The briefing's slides with the edited slide's view and drawings as they are on the desk now. */
function editedSlides(s: EditSession): Slide[] {
  const slide = s.slides[s.index]!;
  const next: Slide = {
    ...slide,
    view: slideViewOf(viewOf(useView.getState()), slide.view.basemap, extentShown()),
    annotations: useAnnotations.getState().annotations,
    comparison: useView.getState().comparison,
  };
  return s.slides.map((x, i) => (i === s.index ? next : x));
}

export function EditBar() {
  const [session] = useState(readEditSession);
  return session ? <EditBarOf session={session} /> : null;
}

function EditBarOf({ session }: { session: EditSession }) {
  const t = useBriefingT();
  const trpc = useTRPC();
  const client = useTRPCClient();
  const qc = useQueryClient();
  const lang = useView((s) => s.lang);
  const [state, setState] = useState<SaveState>({ kind: 'idle' });
  useEffect(() => {
    const a = useAnnotations.getState();
    a.setAnnotations(session.slides[session.index]!.annotations);
    a.setEditing(true);
    return () => useAnnotations.getState().setEditing(false);
  }, [session]);
  const back = (id = session.briefingId) => {
    endEditSession();
    window.location.assign(briefingHref(id, lang));
  };
  const save = async () => {
    setState({ kind: 'saving' });
    try {
      await client.briefings.update.mutate({
        id: session.briefingId,
        version: session.version,
        slides: editedSlides(session),
      });
      void qc.invalidateQueries({ queryKey: trpc.briefings.list.queryKey() });
      back();
    } catch (e) {
      const code = errorCode(e);
      setState(
        code === 'CONFLICT'
          ? { kind: 'conflict' }
          : code === 'NOT_FOUND'
            ? { kind: 'gone' }
            : { kind: 'error', message: (e as Error).message },
      );
    }
  };
  const saveCopy = async () => {
    try {
      const r = await client.briefings.create.mutate({
        title: copyTitle(session.title, t.copySuffix),
        slides: editedSlides(session),
      });
      back(r.id);
    } catch (e) {
      setState({ kind: 'error', message: (e as Error).message });
    }
  };
  return (
    <div className="edit-bar" role="region" aria-label={t.editView} data-testid="edit-bar">
      <span className="what">{t.editing(session.title, session.index + 1)}</span>
      <button
        className="btn primary"
        disabled={state.kind === 'saving' || state.kind === 'conflict' || state.kind === 'gone'}
        onClick={() => void save()}
        data-testid="edit-save"
      >
        {state.kind === 'saving' ? t.saving : t.saveToSlide}
      </button>
      <button className="btn" onClick={() => back()} data-testid="edit-cancel">
        {t.cancel}
      </button>
      <ConflictBar state={state} onTheirs={() => back()} onCopy={() => void saveCopy()} />
    </div>
  );
}
