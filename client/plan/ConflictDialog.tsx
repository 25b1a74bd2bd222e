/** The dialog shown when a save meets someone else's change (or a deletion). */
import { useState } from 'react';
import { savedOf, useDraft, type PlanObject, type PostState, type ZoneState } from './draft';
import { usePlanUi, useSave, type SaveProblem } from './data';
import { areaKm2, localTime, nameOf } from './format';
import { Outline } from './Outline';
import type { PlanTexts } from './texts';

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

export function ConflictDialog({ t }: { t: PlanTexts }) {
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
