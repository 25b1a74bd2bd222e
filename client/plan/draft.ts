/**
 * The planning draft: the zones and posts as saved on the server, and the planner's edits laid
 * over them. Undo and redo act on the edits only, so a zone someone else saved meanwhile is never
 * reverted by an undo; an edit whose base version is older than the saved one is "stale" (it was
 * changed underneath).
 */
import type { UnitStatus } from '../../domain/vocabulary';
import type { MultiPolygon, Polygon } from 'geojson';
import { create } from 'zustand';

export type Area = Polygon | MultiPolygon;
export type Position = [number, number];
export type Shift = 'day' | 'night' | 'all';
export type PostStatus = UnitStatus;

export interface ZoneState {
  kind: 'zone';
  /** 'z<id>' for a saved zone, 'n<counter>' for a new one: also the terra-draw feature id */
  key: string;
  /** the server's id; absent for a new zone */
  id?: number;
  /** the version the edit started from (the saved version for saved objects) */
  version?: number;
  geometry: Area;
  name: string;
  unit: string;
  shift: Shift;
  deleted?: boolean;
  updatedAt?: string;
  updatedBy?: string;
}

export interface PostState {
  kind: 'post';
  key: string;
  id?: number;
  version?: number;
  position: Position;
  name: string;
  status: PostStatus;
  deleted?: boolean;
}

export type PlanObject = ZoneState | PostState;
export type Edits = Record<string, PlanObject>;

export interface Saved {
  zones: Record<string, ZoneState>;
  posts: Record<string, PostState>;
}

export type Tool = 'select' | 'polygon' | 'point';

export interface DraftState {
  saved: Saved;
  /** loaded at least once */
  loaded: boolean;
  edits: Edits;
  past: Edits[];
  future: Edits[];
  /** the edits before the drag now under way (one undo step per gesture, not per drag step) */
  gestureBase: Edits | null;
  /**
   * bumped whenever the draft changes other than by drawing on the map (undo, redo, discard,
   * a save, a panel action, someone else's save), so the map controller redraws from the store
   */
  rev: number;
  selected: string | null;
  tool: Tool;
  newCounter: number;
}

export interface DraftActions {
  /**
   * takes in the server's zones and posts; edits stay, and are compared against them. `saved`
   * lists the keys just saved: their edits end, and with them the undo history
   */
  loadSaved(saved: Saved, savedKeys?: string[]): void;
  /** a change while drawing (one drag step): no history entry until the gesture ends */
  liveChange(obj: PlanObject): void;
  endGesture(): void;
  /** a discrete change (panel, key, a finished drawing): one history entry */
  commit(objs: PlanObject[], opts?: { fromMap?: boolean }): void;
  remove(key: string): void;
  undo(): void;
  redo(): void;
  discard(): void;
  /** forget the edits of these keys (saved, or "reload theirs") */
  drop(keys: string[]): void;
  /** take the saved version as the base of this edit ("overwrite with mine") */
  rebase(key: string): void;
  select(key: string | null): void;
  setTool(tool: Tool): void;
  newKey(): string;
}

export type DraftStore = DraftState & DraftActions;

const HISTORY = 200;

export const zoneKey = (id: number) => `z${id}`;
export const postKey = (id: number) => `p${id}`;

function sameJson(a: unknown, b: unknown) {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** The saved object an edit stands in for, if any. */
export function savedOf(s: Pick<DraftState, 'saved'>, key: string): PlanObject | undefined {
  return s.saved.zones[key] ?? s.saved.posts[key];
}

/** An edit that changes nothing (back to the saved state) is no edit. */
function isNoop(s: Pick<DraftState, 'saved'>, obj: PlanObject): boolean {
  const saved = savedOf(s, obj.key);
  if (!saved) return Boolean(obj.deleted);
  return !obj.deleted && sameJson(strip(saved), strip(obj)) && saved.version === obj.version;
}

function strip(o: PlanObject) {
  const { updatedAt: _a, updatedBy: _b, ...rest } = o as ZoneState;
  return rest;
}

function withEdits(s: DraftState, edits: Edits, objs: PlanObject[]): Edits {
  const out = { ...edits };
  for (const o of objs) {
    if (isNoop(s, o)) delete out[o.key];
    else out[o.key] = o;
  }
  return out;
}

export function createDraftStore() {
  return create<DraftStore>()((set, get) => ({
    saved: { zones: {}, posts: {} },
    loaded: false,
    edits: {},
    past: [],
    future: [],
    gestureBase: null,
    rev: 0,
    selected: null,
    tool: 'select',
    newCounter: 0,

    loadSaved: (saved, savedKeys) =>
      set((s) => {
        const edits = { ...s.edits };
        for (const k of savedKeys ?? []) delete edits[k];
        // an edit that now equals the saved state is no longer an edit
        for (const [k, e] of Object.entries(edits)) if (isNoop({ saved }, e)) delete edits[k];
        const history = savedKeys?.length ? { past: [], future: [], gestureBase: null } : {};
        return { saved, loaded: true, edits, rev: s.rev + 1, ...history };
      }),

    liveChange: (obj) =>
      set((s) => {
        if (sameJson(effective(s).byKey[obj.key], obj)) return {};
        return { gestureBase: s.gestureBase ?? s.edits, edits: withEdits(s, s.edits, [obj]) };
      }),

    endGesture: () =>
      set((s) => {
        if (!s.gestureBase) return {};
        if (s.gestureBase === s.edits) return { gestureBase: null };
        return {
          gestureBase: null,
          past: [...s.past, s.gestureBase].slice(-HISTORY),
          future: [],
        };
      }),

    commit: (objs, opts) =>
      set((s) => {
        const base = s.gestureBase ?? s.edits;
        const edits = withEdits(s, s.edits, objs);
        return {
          edits,
          gestureBase: null,
          past: [...s.past, base].slice(-HISTORY),
          future: [],
          rev: opts?.fromMap ? s.rev : s.rev + 1,
        };
      }),

    remove: (key) => {
      const obj = effective(get()).byKey[key];
      if (!obj) return;
      get().commit([{ ...obj, deleted: true }]);
      if (get().selected === key) set({ selected: null });
    },

    undo: () =>
      set((s) => {
        const past = [...s.past];
        const prev = past.pop();
        if (!prev) return {};
        return {
          past,
          future: [s.edits, ...s.future],
          edits: prev,
          gestureBase: null,
          rev: s.rev + 1,
        };
      }),

    redo: () =>
      set((s) => {
        const [next, ...future] = s.future;
        if (!next) return {};
        return {
          past: [...s.past, s.edits],
          future,
          edits: next,
          gestureBase: null,
          rev: s.rev + 1,
        };
      }),

    discard: () =>
      set((s) => ({
        edits: {},
        past: [],
        future: [],
        gestureBase: null,
        selected: null,
        rev: s.rev + 1,
      })),

    drop: (keys) =>
      set((s) => {
        const edits = { ...s.edits };
        for (const k of keys) delete edits[k];
        // history entries that mention these keys would bring the old edit back: start afresh
        return { edits, past: [], future: [], gestureBase: null, rev: s.rev + 1 };
      }),

    rebase: (key) =>
      set((s) => {
        const e = s.edits[key];
        const saved = savedOf(s, key);
        if (!e || !saved) return {};
        return { edits: { ...s.edits, [key]: { ...e, version: saved.version } }, rev: s.rev + 1 };
      }),

    select: (selected) => set({ selected }),
    setTool: (tool) => set({ tool }),
    newKey: () => {
      const n = get().newCounter + 1;
      set({ newCounter: n });
      return `n${n}`;
    },
  }));
}

export interface Effective {
  zones: ZoneState[];
  posts: PostState[];
  byKey: Record<string, PlanObject>;
}

/** The draft as it stands: saved objects with the edits laid over, deleted ones left out. */
export function effective(s: Pick<DraftState, 'saved' | 'edits'>): Effective {
  const byKey: Record<string, PlanObject> = {};
  for (const z of Object.values(s.saved.zones)) byKey[z.key] = z;
  for (const p of Object.values(s.saved.posts)) byKey[p.key] = p;
  for (const e of Object.values(s.edits)) {
    if (e.deleted) delete byKey[e.key];
    else byKey[e.key] = e;
  }
  const all = Object.values(byKey);
  return {
    byKey,
    zones: all.filter((o): o is ZoneState => o.kind === 'zone'),
    posts: all.filter((o): o is PostState => o.kind === 'post'),
  };
}

/** Edits whose saved object has moved on (a newer version, or gone) since the edit began. */
export function staleKeys(s: Pick<DraftState, 'saved' | 'edits'>): string[] {
  return Object.values(s.edits)
    .filter((e) => {
      if (e.id === undefined) return false;
      const saved = savedOf(s, e.key);
      return !saved || saved.version !== e.version;
    })
    .map((e) => e.key);
}

/** What a save would send, one entry per changed object. */
export type Change =
  | { op: 'create'; obj: PlanObject }
  | { op: 'update'; obj: PlanObject }
  | { op: 'delete'; obj: PlanObject };

export function changes(s: Pick<DraftState, 'edits'>): Change[] {
  const out: Change[] = [];
  for (const e of Object.values(s.edits)) {
    if (e.id === undefined) {
      if (!e.deleted) out.push({ op: 'create', obj: e });
    } else out.push({ op: e.deleted ? 'delete' : 'update', obj: e });
  }
  return out;
}

export const useDraft = createDraftStore();
