/**
 * Briefings from the server and back: the list, one briefing, and an editor that saves each
 * change with the version it was made from. Saves go one at a time (each names the version the
 * last one returned); a stale version is a CONFLICT, after which nothing more is sent until the
 * user chooses: load the saved briefing, or keep theirs and save the local one as a new briefing.
 * Local changes are never dropped without that choice.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { Slide } from '../../server/briefingInputs';
import { useTRPC, useTRPCClient } from '../data/trpc';

/** The tRPC error code of a failed call (CONFLICT, NOT_FOUND, FORBIDDEN…), if it has one. */
export const errorCode = (e: unknown) => (e as { data?: { code?: string } } | null)?.data?.code;

/** Where one briefing's page is, in the page's language. */
export const briefingHref = (id: number, lang: 'zh' | 'en', page = '') =>
  `/briefing/${id}${page ? `/${page}` : ''}${lang === 'en' ? '?lang=en' : ''}`;

export const listHref = (lang: 'zh' | 'en') => `/briefings${lang === 'en' ? '?lang=en' : ''}`;

export function useBriefingList(enabled = true) {
  const trpc = useTRPC();
  return useQuery({ ...trpc.briefings.list.queryOptions(), staleTime: 0, enabled });
}

export function useBriefing(id: number) {
  const trpc = useTRPC();
  return useQuery({ ...trpc.briefings.get.queryOptions({ id }), staleTime: 0, retry: false });
}

/** A briefing as the page holds it: what the server had, with the user's changes on top. */
export interface BriefingDoc {
  id: number;
  version: number;
  title: string;
  slides: Slide[];
}

export type SaveState =
  { kind: 'idle' | 'saving' | 'saved' | 'conflict' | 'gone' } | { kind: 'error'; message: string };

/** The title of a copy: the original's with the copy's mark (within the title's limit). */
export const copyTitle = (title: string, suffix: string) => `${title.slice(0, 110)}${suffix}`;

/**
 * One briefing to edit: `change` applies a change at once and saves it in the background;
 * `loadTheirs` and `saveCopy` settle a conflict. `doc` is null until the briefing has come.
 */
export function useBriefingEditor(id: number) {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const qc = useQueryClient();
  const q = useBriefing(id);
  const [doc, setDoc] = useState<BriefingDoc | null>(null);
  const [state, setState] = useState<SaveState>({ kind: 'idle' });
  /** the version the server last returned, the changes not yet sent, a save in flight */
  const version = useRef(0);
  const pending = useRef<{ title?: string; slides?: Slide[] } | null>(null);
  const busy = useRef(false);
  const blocked = useRef(false);

  useEffect(() => {
    if (!q.data || doc) return;
    version.current = q.data.version;
    setDoc({ id, version: q.data.version, title: q.data.title, slides: q.data.slides });
  }, [q.data, doc, id]);

  const flush = useCallback(async () => {
    if (busy.current || blocked.current || !pending.current) return;
    const send = pending.current;
    pending.current = null;
    busy.current = true;
    setState({ kind: 'saving' });
    try {
      const r = await client.briefings.update.mutate({ id, version: version.current, ...send });
      version.current = r.version ?? version.current + 1;
      setDoc((d) => d && { ...d, version: version.current });
      setState({ kind: (pending.current as typeof send | null) ? 'saving' : 'saved' });
      void qc.invalidateQueries({ queryKey: trpc.briefings.list.queryKey() });
    } catch (e) {
      // what was not saved is sent again with the next change, or kept for the user's choice
      // (a change made while this save was in flight is newer than it)
      const later = pending.current as typeof send | null;
      pending.current = { ...send, ...later };
      const code = errorCode(e);
      if (code === 'CONFLICT' || code === 'NOT_FOUND') {
        blocked.current = true;
        setState({ kind: code === 'CONFLICT' ? 'conflict' : 'gone' });
      } else setState({ kind: 'error', message: (e as Error).message });
    } finally {
      busy.current = false;
    }
    void flush();
  }, [client, id, qc, trpc]);

  /** Applies a change to the title and/or the slides and saves it. */
  const change = useCallback(
    (c: { title?: string; slides?: Slide[] }) => {
      setDoc((d) => d && { ...d, ...c });
      pending.current = { ...pending.current, ...c };
      void flush();
    },
    [flush],
  );

  /** Drops the local changes and shows the briefing as it is saved now. */
  const loadTheirs = useCallback(async () => {
    const fresh = await qc.fetchQuery({ ...trpc.briefings.get.queryOptions({ id }), staleTime: 0 });
    pending.current = null;
    blocked.current = false;
    version.current = fresh.version;
    setDoc({ id, version: fresh.version, title: fresh.title, slides: fresh.slides });
    setState({ kind: 'idle' });
  }, [qc, trpc, id]);

  /** Keeps the saved briefing as it is and saves the local one as a new briefing; its id. */
  const saveCopy = useCallback(
    async (suffix: string) => {
      if (!doc) return null;
      const r = await client.briefings.create.mutate({
        title: copyTitle(doc.title, suffix),
        slides: doc.slides,
      });
      void qc.invalidateQueries({ queryKey: trpc.briefings.list.queryKey() });
      return r.id;
    },
    [client, doc, qc, trpc],
  );

  return { query: q, doc, state, change, loadTheirs, saveCopy };
}
