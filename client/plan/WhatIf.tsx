/** The what-if figures (saved vs draft), the map legend and the communities that change most. */
import { css } from '../theme';
import { useEffective, useEvaluate, usePreviewShare } from './data';
import { km2, pct } from './format';
import { PLAN_STYLE } from './planLayers';
import type { PlanTexts } from './texts';
import { DRAW_COLOURS } from './usePlanDraw';

interface Figures {
  incidentShareInZones: number;
  hotspotCells: { covered: number; total: number };
  reach: { minutes: number; incidentShare: number }[];
  unpatrolledKm2: number;
  overlapKm2: number;
}

export function WhatIf({ t }: { t: PlanTexts }) {
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
