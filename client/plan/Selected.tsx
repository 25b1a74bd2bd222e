/** The selected zone's or post's attributes, with stale and live-change notes. */
import { UNIT_STATUSES } from '../../domain/vocabulary';
import type { FormEvent, KeyboardEvent } from 'react';
import {
  staleKeys,
  useDraft,
  type PlanObject,
  type PostState,
  type PostStatus,
  type Shift,
  type ZoneState,
} from './draft';
import { useEffective, usePlanUi } from './data';
import { areaKm2, nameOf } from './format';
import type { PlanTexts } from './texts';
import { ZoneHistory } from './ZoneHistory';

export function Selected({ t }: { t: PlanTexts }) {
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
          {o.id !== undefined && <ZoneHistory t={t} id={o.id} />}
        </>
      ) : (
        <label>
          <span>{t.status}</span>
          <select
            value={o.status}
            onChange={(e) => commit({ status: e.target.value as PostStatus })}
          >
            {UNIT_STATUSES.map((s) => (
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
