/**
 * The planning tab: tools, undo/redo, the draft's state with Save and Discard, the selected
 * zone's or post's details and history, the what-if figures (saved vs draft), post suggestions,
 * and the conflict dialog when a save meets someone else's.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { area as turfArea } from '@turf/turf';
import { useState, type FormEvent, type KeyboardEvent } from 'react';
import { useTRPC, useTRPCClient } from '../data/trpc';
import { css } from '../theme';
import {
  savedOf,
  staleKeys,
  useDraft,
  type Area,
  type PlanObject,
  type PostState,
  type PostStatus,
  type Shift,
  type Tool,
  type ZoneState,
} from './draft';
import {
  useEffective,
  useEvaluate,
  usePlanUi,
  usePreviewShare,
  useSave,
  type SaveProblem,
} from './data';
import { PLAN_STYLE } from './planLayers';
import { usePlanTexts, type PlanTexts } from './texts';
import { DRAW_COLOURS } from './usePlanDraw';
import './plan.css';

const pct = (x: number | undefined) => (x === undefined ? '—' : `${(x * 100).toFixed(1)}%`);
const km2 = (x: number | undefined) => (x === undefined ? '—' : x.toFixed(2));
/** An ISO instant as local 2026-06-30 14:05. */
function localTime(iso: string) {
  const d = new Date(iso);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}
const areaKm2 = (g: Area) => turfArea({ type: 'Feature', geometry: g, properties: {} }) / 1e6;

function nameOf(t: PlanTexts, o: PlanObject | undefined) {
  if (!o) return '';
  return `${o.kind === 'zone' ? t.zone : t.post}「${o.name}」`;
}

/** A dot on the planning tab while the draft holds unsaved changes. */
export function PlanDraftDot() {
  const t = usePlanTexts();
  const n = useDraft((s) => Object.keys(s.edits).length);
  return n ? <span className="plan-dot" title={t.draftChanges(n)} data-testid="plan-dot" /> : null;
}

export function PlanPanel() {
  const t = usePlanTexts();
  const loaded = useDraft((s) => s.loaded);
  return (
    <div className="plan" data-testid="plan-panel">
      <Toolbar t={t} />
      {!loaded ? (
        <section>
          <div className="empty">{t.loading}</div>
        </section>
      ) : (
        <>
          <WhatIf t={t} />
          <Selected t={t} />
          <Suggest t={t} />
        </>
      )}
      <ConflictDialog t={t} />
    </div>
  );
}

function Toolbar({ t }: { t: PlanTexts }) {
  const tool = useDraft((s) => s.tool);
  const setTool = useDraft((s) => s.setTool);
  const selected = useDraft((s) => s.selected);
  const canUndo = useDraft((s) => s.past.length > 0);
  const canRedo = useDraft((s) => s.future.length > 0);
  const edits = useDraft((s) => s.edits);
  const d = useDraft.getState;
  const n = Object.keys(edits).length;
  const saving = usePlanUi((s) => s.saving);
  const lastSaved = usePlanUi((s) => s.lastSaved);
  const problems = usePlanUi((s) => s.problems);
  const save = useSave();
  const tools: [Tool, string][] = [
    ['select', t.toolSelect],
    ['polygon', t.toolPolygon],
    ['point', t.toolPoint],
  ];
  return (
    <section className="plan-tools">
      <h2>{t.title}</h2>
      <div className="seg" role="radiogroup">
        {tools.map(([id, label]) => (
          <button
            key={id}
            role="radio"
            aria-checked={tool === id}
            className={tool === id ? 'on' : ''}
            onClick={() => setTool(id)}
            data-testid={`plan-tool-${id}`}
          >
            {label}
          </button>
        ))}
      </div>
      <div className="method">{t.toolHint[tool]}</div>
      <div className="plan-row">
        <button
          className="btn"
          disabled={!canUndo}
          onClick={() => d().undo()}
          title={t.undoKey}
          data-testid="plan-undo"
        >
          ↶ {t.undo}
        </button>
        <button
          className="btn"
          disabled={!canRedo}
          onClick={() => d().redo()}
          title={t.redoKey}
          data-testid="plan-redo"
        >
          ↷ {t.redo}
        </button>
        <button
          className="btn"
          disabled={!selected}
          onClick={() => selected && d().remove(selected)}
          data-testid="plan-delete"
        >
          ✕ {t.remove}
        </button>
      </div>
      <div className={`plan-draft ${n ? 'dirty' : ''}`} data-testid="plan-draft">
        {n ? (
          <>
            <span className="plan-draft-badge">{t.draft}</span>
            <span>{t.draftChanges(n)}</span>
          </>
        ) : (
          <span className="muted">
            {lastSaved && Date.now() - lastSaved.at < 60_000
              ? t.saved(lastSaved.count)
              : t.noChanges}
          </span>
        )}
      </div>
      <div className="plan-row">
        <button
          className="btn primary"
          disabled={!n || saving}
          onClick={() => void save()}
          data-testid="plan-save"
        >
          {saving ? t.saving : t.save}
        </button>
        <button
          className="btn"
          disabled={!n || saving}
          onClick={() => {
            if (window.confirm(t.discardConfirm)) d().discard();
          }}
          data-testid="plan-discard"
        >
          {t.discard}
        </button>
      </div>
      {problems
        .filter((p) => (p.kind === 'error' || p.kind === 'unit') && edits[p.key])
        .map((p) => (
          <div key={p.key} className="plan-error" role="alert" data-testid="plan-error">
            {t.errorSaving}：{nameOf(t, edits[p.key])} —{' '}
            {p.kind === 'unit' ? t.unitRequired : p.message}
          </div>
        ))}
    </section>
  );
}

function Selected({ t }: { t: PlanTexts }) {
  const key = useDraft((s) => s.selected);
  const eff = useEffective();
  const saved = useDraft((s) => s.saved);
  const edits = useDraft((s) => s.edits);
  const lastLive = usePlanUi((s) => s.lastLive);
  const stale = staleKeys({ saved, edits });
  const o = key ? eff.byKey[key] : undefined;
  return (
    <section data-testid="plan-selected">
      {stale.length > 0 && (
        <div className="plan-stale" role="status" data-testid="plan-stale">
          ⚠ {stale.map((k) => nameOf(t, edits[k])).join('、')}：{t.staleShort}
        </div>
      )}
      {lastLive && (
        <div className="method">
          {t.liveNote(lastLive.by, `${lastLive.kind === 'zone' ? t.zone : t.post} #${lastLive.id}`)}
        </div>
      )}
      {!o ? (
        <div className="empty">{t.selectSomething}</div>
      ) : (
        <ObjectForm key={`${o.key}`} t={t} o={o} stale={stale.includes(o.key)} />
      )}
    </section>
  );
}

function ObjectForm({ t, o, stale }: { t: PlanTexts; o: PlanObject; stale: boolean }) {
  const d = useDraft.getState;
  const commit = (patch: Partial<ZoneState> | Partial<PostState>) =>
    d().commit([{ ...o, ...patch } as PlanObject]);
  // typing is one undo step, ended when the field is left or Enter is pressed
  const type = (patch: Partial<ZoneState>) => d().liveChange({ ...o, ...patch } as PlanObject);
  const endTyping = () => d().endGesture();
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    endTyping();
  };
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'Enter') endTyping();
  };
  return (
    <form className="plan-form" onSubmit={onSubmit} data-testid="plan-form">
      <h2>
        <span>
          {o.kind === 'zone' ? t.zone : t.post} {o.id ? `#${o.id}` : t.newObject}
        </span>
        {o.version !== undefined && (
          <span className="badge">
            {t.version} {o.version}
          </span>
        )}
      </h2>
      {stale && <div className="plan-stale">⚠ {t.stale}</div>}
      <label>
        <span>{t.name}</span>
        <input
          value={o.name}
          onChange={(e) => type({ name: e.target.value })}
          onBlur={endTyping}
          onKeyDown={onKeyDown}
          maxLength={60}
          data-testid="plan-name"
        />
      </label>
      {o.kind === 'zone' ? (
        <>
          <label>
            <span>{t.unit}</span>
            <input
              value={o.unit}
              onChange={(e) => type({ unit: e.target.value })}
              onBlur={endTyping}
              onKeyDown={onKeyDown}
              maxLength={60}
              data-testid="plan-unit"
            />
          </label>
          <label>
            <span>{t.shift}</span>
            <select
              value={o.shift}
              onChange={(e) => commit({ shift: e.target.value as Shift })}
              data-testid="plan-shift"
            >
              {(['day', 'night', 'all'] as const).map((s) => (
                <option key={s} value={s}>
                  {t.shifts[s]}
                </option>
              ))}
            </select>
          </label>
          <div className="method">
            {t.area} {areaKm2(o.geometry).toFixed(2)} {t.km2}
          </div>
          {o.id !== undefined && <History t={t} id={o.id} />}
        </>
      ) : (
        <label>
          <span>{t.status}</span>
          <select
            value={o.status}
            onChange={(e) => commit({ status: e.target.value as PostStatus })}
          >
            {(['available', 'busy', 'off_duty'] as const).map((s) => (
              <option key={s} value={s}>
                {t.statuses[s]}
              </option>
            ))}
          </select>
        </label>
      )}
    </form>
  );
}

function History({ t, id }: { t: PlanTexts; id: number }) {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const qc = useQueryClient();
  const [open, setOpen] = useState(false);
  const q = useQuery({ ...trpc.zones.history.queryOptions({ id }), enabled: open, staleTime: 0 });
  const current = useDraft((s) => s.saved.zones[`z${id}`]?.version);
  const restore = useMutation({
    mutationFn: (to: number) => client.zones.restore.mutate({ id, version: current!, to }),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: trpc.zones.list.queryKey() });
      void qc.invalidateQueries({ queryKey: trpc.zones.history.queryKey({ id }) });
    },
  });
  return (
    <details
      className="plan-history"
      onToggle={(e) => setOpen((e.target as HTMLDetailsElement).open)}
      data-testid="plan-history"
    >
      <summary>{t.showHistory}</summary>
      {q.isLoading && <div className="empty">{t.computing}</div>}
      {restore.error && <div className="plan-error">{restore.error.message}</div>}
      <table className="kpi-table">
        <tbody>
          {q.data?.map((h) => (
            <tr key={h.version}>
              <td className="n">v{h.version}</td>
              <td>
                {t.actions[h.action] ?? h.action} · {h.by}
                <div className="sub">
                  {localTime(h.at)} · {h.name} ·{' '}
                  {h.areaKm2 === null ? '' : `${h.areaKm2.toFixed(2)} ${t.km2}`}
                </div>
              </td>
              <td>
                {h.version === current ? (
                  <span className="badge">{t.current}</span>
                ) : (
                  <button
                    className="btn small"
                    disabled={restore.isPending || current === undefined}
                    onClick={() => {
                      if (window.confirm(t.restoreConfirm(h.version))) restore.mutate(h.version);
                    }}
                  >
                    {t.restore}
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}

interface Figures {
  incidentShareInZones: number;
  hotspotCells: { covered: number; total: number };
  reach: { minutes: number; incidentShare: number }[];
  unpatrolledKm2: number;
  overlapKm2: number;
}

function WhatIf({ t }: { t: PlanTexts }) {
  const q = useEvaluate(true);
  const eff = useEffective();
  const preview = usePreviewShare(eff.zones);
  const saved = q.data?.saved as Figures | undefined;
  const draft = q.data?.draft as Figures | undefined;
  const reach = (f: Figures | undefined, m: number) =>
    f?.reach.find((r) => r.minutes === m)?.incidentShare;
  const cells = (f: Figures | undefined) =>
    f ? `${f.hotspotCells.covered}/${f.hotspotCells.total}` : '—';
  const rows: [string, string, string, string, (string | undefined)?][] = [
    [
      'share',
      t.incidentsInZones,
      pct(saved?.incidentShareInZones),
      pct(draft?.incidentShareInZones),
    ],
    ['hotspots', t.hotspotCells, cells(saved), cells(draft)],
    ...[1, 3, 5].map(
      (m) =>
        [`reach${m}`, t.reach(m), pct(reach(saved, m)), pct(reach(draft, m))] as [
          string,
          string,
          string,
          string,
        ],
    ),
    [
      'unpatrolled',
      t.inKm2(t.unpatrolled),
      km2(saved?.unpatrolledKm2),
      km2(draft?.unpatrolledKm2),
      css(PLAN_STYLE.unpatrolled.fill),
    ],
    [
      'overlap',
      t.inKm2(t.overlap),
      km2(saved?.overlapKm2),
      km2(draft?.overlapKm2),
      css(PLAN_STYLE.overlap.fill),
    ],
  ];
  const communities = (
    (q.data?.communities ?? []) as {
      id: number;
      name: string;
      saved: { zoneShare: number; reach3Share: number };
      draft: { zoneShare: number; reach3Share: number };
    }[]
  )
    .map((c) => ({
      ...c,
      change:
        Math.abs(c.draft.zoneShare - c.saved.zoneShare) +
        Math.abs(c.draft.reach3Share - c.saved.reach3Share),
    }))
    .filter((c) => c.change > 0.0005)
    .sort((a, b) => b.change - a.change)
    .slice(0, 6);
  return (
    <section data-testid="plan-whatif">
      <h2>
        <span>{t.whatIf}</span>
        {q.isFetching && <span className="plan-busy">{t.computing}</span>}
      </h2>
      <div className="method">{t.whatIfMethod}</div>
      {q.isError && (
        <div className="plan-error" role="alert">
          {q.error.message}
        </div>
      )}
      {preview && (
        <div className="plan-preview" data-testid="plan-preview">
          {t.preview}{' '}
          <b className="num">{pct(preview.total ? preview.inside / preview.total : 0)}</b>{' '}
          <span className="num">
            （{t.num(preview.inside)} / {t.num(preview.total)}）
          </span>
        </div>
      )}
      <table className="kpi-table plan-figures">
        <thead>
          <tr>
            <td>{t.figure}</td>
            <td className="n">{t.savedCol}</td>
            <td className="n">{t.draftCol}</td>
          </tr>
        </thead>
        <tbody>
          {rows.map(([id, label, a, b, swatch]) => (
            <tr key={id} data-testid={`plan-fig-${id}`} className={a !== b ? 'changed' : ''}>
              <td>
                {swatch && <span className="swatch" style={{ background: swatch }} />}
                {label}
              </td>
              <td className="n saved">{a}</td>
              <td className="n draft">{b}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="plan-legend" data-testid="plan-legend">
        <span>
          <span className="swatch line" style={{ borderColor: DRAW_COLOURS.saved }} />
          {t.legendSaved}
        </span>
        <span>
          <span className="swatch line" style={{ borderColor: DRAW_COLOURS.edited }} />
          {t.legendEdited}
        </span>
        <span>
          <span className="swatch line" style={{ borderColor: DRAW_COLOURS.stale }} />
          {t.legendStale}
        </span>
        <span>
          <span
            className="swatch dashed"
            style={{
              background: css(PLAN_STYLE.unpatrolled.fill),
              borderColor: css(PLAN_STYLE.unpatrolled.line),
            }}
          />
          {t.legendUnpatrolled}
        </span>
        <span>
          <span
            className="swatch"
            style={{
              background: css(PLAN_STYLE.overlap.fill),
              borderColor: css(PLAN_STYLE.overlap.line),
            }}
          />
          {t.legendOverlap}
        </span>
      </div>
      <h2 className="plan-sub">{t.communities}</h2>
      {q.data && communities.length === 0 && <div className="empty">{t.communitiesEmpty}</div>}
      <table className="kpi-table" data-testid="plan-communities">
        {communities.length > 0 && (
          <thead>
            <tr>
              <td />
              <td className="n">{t.zoneShare}</td>
              <td className="n">{t.reach3}</td>
            </tr>
          </thead>
        )}
        <tbody>
          {communities.map((c) => (
            <tr key={c.id}>
              <td>{c.name}</td>
              <td className="n">
                {pct(c.saved.zoneShare)} → {pct(c.draft.zoneShare)}
              </td>
              <td className="n">
                {pct(c.saved.reach3Share)} → {pct(c.draft.reach3Share)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

interface Suggestion {
  posts: { position: [number, number]; id?: number; new: boolean }[];
  before: { covered: number; total: number; share: number };
  after: { covered: number; total: number; share: number };
  gain: number;
}

function Suggest({ t }: { t: PlanTexts }) {
  const client = useTRPCClient();
  const [k, setK] = useState(3);
  const [mode, setMode] = useState<'add' | 'move'>('add');
  const run = useMutation({
    mutationFn: () =>
      client.plan.suggest.query({ k, mode, minutes: 3 }) as unknown as Promise<Suggestion>,
  });
  const take = () => {
    const r = run.data;
    if (!r) return;
    const d = useDraft.getState();
    const objs: PlanObject[] = [];
    let n = 0;
    for (const p of r.posts) {
      const existing = p.id !== undefined ? d.saved.posts[`p${p.id}`] : undefined;
      const cur = existing ? (d.edits[existing.key] ?? existing) : undefined;
      if (cur && cur.kind === 'post') objs.push({ ...cur, position: p.position, deleted: false });
      else if (p.new) {
        n++;
        const key = d.newKey();
        objs.push({
          kind: 'post',
          key,
          position: p.position,
          name: `${t.suggestedPost} ${n}`,
          status: 'available',
        });
      }
    }
    if (objs.length) d.commit(objs);
  };
  return (
    <section data-testid="plan-suggest">
      <h2>{t.suggest}</h2>
      <div className="method">{t.suggestMethod}</div>
      <div className="plan-row">
        <label className="control">
          {t.k}
          <input
            type="number"
            min={1}
            max={20}
            value={k}
            onChange={(e) => setK(Math.max(1, Math.min(20, Number(e.target.value) || 1)))}
            style={{ width: 56 }}
            data-testid="plan-k"
          />
        </label>
        <div className="seg" style={{ margin: 0 }}>
          <button className={mode === 'add' ? 'on' : ''} onClick={() => setMode('add')}>
            {t.modeAdd}
          </button>
          <button className={mode === 'move' ? 'on' : ''} onClick={() => setMode('move')}>
            {t.modeMove}
          </button>
        </div>
        <button
          className="btn"
          disabled={run.isPending}
          onClick={() => run.mutate()}
          data-testid="plan-suggest-run"
        >
          {run.isPending ? t.computing : t.run}
        </button>
      </div>
      {run.error && <div className="plan-error">{run.error.message}</div>}
      {run.data && (
        <>
          <div className="plan-gain" data-testid="plan-gain">
            {t.gain(
              `${t.num(run.data.before.covered)}（${pct(run.data.before.share)}）`,
              `${t.num(run.data.after.covered)}（${pct(run.data.after.share)}）`,
              `+${t.num(run.data.gain)}`,
            )}
          </div>
          <button className="btn" onClick={take} data-testid="plan-take">
            {t.takeAsDraft}
          </button>
        </>
      )}
    </section>
  );
}

/** The saved version against the draft, side by side: geometry outlines and fields. */
function Compare({ t, theirs, mine }: { t: PlanTexts; theirs?: PlanObject; mine: PlanObject }) {
  const rows: [string, string, string][] = [];
  const field = (o: PlanObject | undefined, f: (o: PlanObject) => string) => (o ? f(o) : '—');
  rows.push([t.version, field(theirs, (o) => String(o.version)), String(mine.version ?? '—')]);
  rows.push([t.name, field(theirs, (o) => o.name), mine.deleted ? t.deleted : mine.name]);
  if (mine.kind === 'zone') {
    const z = theirs as ZoneState | undefined;
    rows.push([t.unit, z?.unit ?? '—', mine.unit]);
    rows.push([t.shift, z ? t.shifts[z.shift] : '—', t.shifts[mine.shift]]);
    rows.push([
      t.inKm2(t.area),
      z ? areaKm2(z.geometry).toFixed(3) : '—',
      areaKm2(mine.geometry).toFixed(3),
    ]);
    rows.push([t.by, z?.updatedBy ?? '—', '']);
    rows.push([t.at, z?.updatedAt ? localTime(z.updatedAt) : '—', '']);
  } else {
    const p = theirs as PostState | undefined;
    rows.push([t.status, p ? t.statuses[p.status] : '—', t.statuses[mine.status]]);
    rows.push([
      t.position,
      p ? p.position.map((v) => v.toFixed(5)).join(', ') : '—',
      mine.position.map((v) => v.toFixed(5)).join(', '),
    ]);
  }
  return (
    <div className="plan-compare">
      {mine.kind === 'zone' && (
        <Outline theirs={(theirs as ZoneState | undefined)?.geometry} mine={mine.geometry} t={t} />
      )}
      <table className="kpi-table" data-testid="conflict-table">
        <thead>
          <tr>
            <td />
            <td className="theirs">{t.theirs}</td>
            <td className="mine">{t.mine}</td>
          </tr>
        </thead>
        <tbody>
          {rows.map(([label, a, b]) => (
            <tr key={label} className={a !== b && b !== '' ? 'changed' : ''}>
              <td>{label}</td>
              <td>{a}</td>
              <td>{b}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Positions of `a`'s rings that are not in `b`'s. */
function only(a: number[][][], b: number[][][]) {
  const seen = new Set(b.flat().map((p) => `${p[0]!.toFixed(6)},${p[1]!.toFixed(6)}`));
  return a.flat().filter((p) => !seen.has(`${p[0]!.toFixed(6)},${p[1]!.toFixed(6)}`));
}

/** Both outlines in one small drawing, on the same scale, with the vertices that differ marked. */
function Outline({ theirs, mine, t }: { theirs?: Area; mine: Area; t: PlanTexts }) {
  const rings = (g: Area | undefined) =>
    !g ? [] : g.type === 'Polygon' ? [g.coordinates[0]!] : g.coordinates.map((p) => p[0]!);
  const all = [...rings(theirs), ...rings(mine)].flat();
  const xs = all.map((p) => p[0]!);
  const ys = all.map((p) => p[1]!);
  const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const k = Math.cos((((y0 + y1) / 2) * Math.PI) / 180);
  const w = (x1 - x0) * k || 1e-6;
  const h = y1 - y0 || 1e-6;
  const s = 180 / Math.max(w, h);
  const path = (g: Area | undefined) =>
    rings(g)
      .map(
        (r) =>
          'M' +
          r
            .map(
              ([x, y]) =>
                `${(10 + (x! - x0) * k * s).toFixed(1)},${(10 + (y1 - y!) * s).toFixed(1)}`,
            )
            .join('L') +
          'Z',
      )
      .join('');
  return (
    <figure className="plan-outline">
      <svg viewBox={`0 0 ${w * s + 20} ${h * s + 20}`} width="200" height="200">
        <path d={path(theirs)} className="theirs" />
        <path d={path(mine)} className="mine" />
        {/* the vertices one has and the other has not: where the two differ */}
        {[
          ...only(rings(mine), rings(theirs)).map((p) => ['mine', p] as const),
          ...only(rings(theirs), rings(mine)).map((p) => ['theirs', p] as const),
        ].map(([cls, [x, y]], i) => (
          <circle
            key={i}
            className={cls}
            cx={10 + (x! - x0) * k * s}
            cy={10 + (y1 - y!) * s}
            r={(Math.max(w, h) * s) / 40}
          />
        ))}
      </svg>
      <figcaption>
        <span className="theirs">━ {t.theirs}</span> <span className="mine">┅ {t.mine}</span>
      </figcaption>
    </figure>
  );
}

function ConflictDialog({ t }: { t: PlanTexts }) {
  const problems = usePlanUi((s) => s.problems);
  const saved = useDraft((s) => s.saved);
  const edits = useDraft((s) => s.edits);
  const save = useSave();
  const [later, setLater] = useState<string[]>([]);
  const p: SaveProblem | undefined = problems.find(
    (x) => (x.kind === 'conflict' || x.kind === 'gone') && edits[x.key] && !later.includes(x.key),
  );
  if (!p) return null;
  const mine = edits[p.key]!;
  const theirs = savedOf({ saved }, p.key);
  const what = nameOf(t, theirs ?? mine);
  const resolve = () => usePlanUi.getState().resolve(p.key);
  return (
    <div className="plan-modal" role="dialog" aria-modal="true" data-testid="conflict-dialog">
      <div className="plan-dialog">
        <h2>{t.conflictTitle}</h2>
        <p>{theirs ? t.conflictText(what) : t.goneText(what)}</p>
        <Compare t={t} theirs={theirs} mine={mine} />
        <div className="plan-row">
          <button
            className="btn"
            onClick={() => {
              useDraft.getState().drop([p.key]);
              resolve();
            }}
            data-testid="conflict-theirs"
          >
            {t.reloadTheirs}
          </button>
          {theirs && (
            <button
              className="btn warn"
              onClick={() => {
                if (!window.confirm(t.overwriteConfirm)) return;
                useDraft.getState().rebase(p.key);
                resolve();
                void save([p.key]);
              }}
              data-testid="conflict-mine"
            >
              {t.overwrite}
            </button>
          )}
          <button className="btn" onClick={() => setLater([...later, p.key])}>
            {t.later}
          </button>
        </div>
      </div>
    </div>
  );
}
