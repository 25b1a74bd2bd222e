/**
 * The desk's "add as slide": the view on screen (and the drawings in hand) becomes a new slide at
 * the end of a briefing the user may change, or of a new one. Only for those who may write
 * briefings.
 */
import { extentShown } from '../map/shownMap';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useCan } from '../auth/useCan';
import { useTRPC, useTRPCClient } from '../data/trpc';
import { useView, viewOf } from '../state/viewStore';
import { useAnnotations } from './annotations/store';
import { briefingHref, errorCode, listHref, useBriefingList } from './data';
import { defaultSlideTitle, newSlide, slideViewOf, type Slide } from './slideView';
import { titleWords, useBriefingT } from './texts';
import { NewBriefingTitle, TitleField } from './TitleField';

const NEW = 'new';

/** The header's links to the briefings and, for those who may make them, "add as slide". */
export function BriefingTools() {
  const t = useBriefingT();
  const lang = useView((s) => s.lang);
  const canRead = useCan('briefings:read');
  const canWrite = useCan('briefings:write');
  const [open, setOpen] = useState(false);
  if (!canRead) return null;
  return (
    <div className="control" style={{ position: 'relative' }}>
      <a className="btn" href={listHref(lang)} data-testid="briefings-link">
        {t.briefings}
      </a>
      {canWrite && (
        <button
          className={`btn ${open ? 'on' : ''}`}
          onClick={() => setOpen(!open)}
          data-testid="add-slide"
        >
          ＋ {t.addSlide}
        </button>
      )}
      {open && <AddSlideForm onClose={() => setOpen(false)} />}
    </div>
  );
}

function AddSlideForm({ onClose }: { onClose: () => void }) {
  const t = useBriefingT();
  const trpc = useTRPC();
  const client = useTRPCClient();
  const qc = useQueryClient();
  const lang = useView((s) => s.lang);
  const list = useBriefingList();
  const me = useQuery({ ...trpc.auth.me.queryOptions(), staleTime: Infinity }).data;
  const mine = (list.data ?? []).filter(
    (b) => me?.role === 'admin' || b.owner.username === me?.username,
  );
  // the view as it is when the form opens: what the title describes is what is added
  const [view] = useState(() =>
    slideViewOf(viewOf(useView.getState()), 'configured', extentShown()),
  );
  const [target, setTarget] = useState<string | null>(null);
  const chosen = target ?? (mine[0] ? String(mine[0].id) : NEW);
  const [newTitle, setNewTitle] = useState('');
  const [title, setTitle] = useState(() => defaultSlideTitle(view, titleWords(lang)));
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<{ id: number; title: string } | null>(null);
  const [error, setError] = useState<string | null>(null);

  const add = async () => {
    const slide = newSlide(
      title.trim(),
      view,
      useAnnotations.getState().annotations,
      useView.getState().comparison,
    );
    setBusy(true);
    setError(null);
    try {
      if (chosen === NEW) {
        const name = newTitle.trim() || title.trim();
        const r = await client.briefings.create.mutate({ title: name, slides: [slide] });
        setDone({ id: r.id, title: name });
      } else {
        const id = Number(chosen);
        setDone({ id, title: await append(id, slide) });
      }
      void qc.invalidateQueries({ queryKey: trpc.briefings.list.queryKey() });
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  /**
   * Adds the slide at the end of the briefing as it is saved now; a save made meanwhile by
   * someone else (CONFLICT) is read again and the slide added to it, so no one's work is lost.
   */
  const append = async (id: number, slide: Slide, tries = 3): Promise<string> => {
    const b = await qc.fetchQuery({ ...trpc.briefings.get.queryOptions({ id }), staleTime: 0 });
    try {
      await client.briefings.update.mutate({
        id,
        version: b.version,
        slides: [...b.slides, slide],
      });
      return b.title;
    } catch (e) {
      if (errorCode(e) === 'CONFLICT' && tries > 1) return append(id, slide, tries - 1);
      throw e;
    }
  };

  if (done)
    return (
      <div className="popover add-slide" role="status" data-testid="add-slide-done">
        <p>{t.added(done.title)}</p>
        <div className="row">
          <a className="btn primary" href={briefingHref(done.id, lang)}>
            {t.openIt}
          </a>
          <button className="btn" onClick={onClose}>
            {t.close}
          </button>
        </div>
      </div>
    );
  const valid = title.trim().length > 0;
  return (
    <form
      className="popover add-slide"
      data-testid="add-slide-form"
      onSubmit={(e) => {
        e.preventDefault();
        if (valid && !busy) void add();
      }}
    >
      <h3>{t.addTitle}</h3>
      <label>
        <span>{t.toBriefing}</span>
        <select
          value={chosen}
          onChange={(e) => setTarget(e.target.value)}
          data-testid="add-slide-target"
        >
          {mine.map((b) => (
            <option key={b.id} value={b.id}>
              {b.title}
            </option>
          ))}
          <option value={NEW}>{t.newOne}</option>
        </select>
      </label>
      {chosen === NEW && (
        <NewBriefingTitle value={newTitle} onChange={setNewTitle} testId="add-slide-new-title" />
      )}
      <TitleField label={t.slideTitle} value={title} onChange={setTitle} testId="add-slide-title" />
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <div className="row">
        <button className="btn primary" disabled={!valid || busy} data-testid="add-slide-submit">
          {t.add}
        </button>
        <button type="button" className="btn" onClick={onClose}>
          {t.cancel}
        </button>
      </div>
    </form>
  );
}
