/** Post suggestions: run the optimiser, show the gain, take the posts into the draft. */
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useTRPCClient } from '../data/trpc';
import { useDraft, type PlanObject } from './draft';
import { pct } from './format';
import type { PlanTexts } from './texts';

export function SuggestPosts({ t }: { t: PlanTexts }) {
  const client = useTRPCClient();
  const [k, setK] = useState(3);
  const [mode, setMode] = useState<'add' | 'move'>('add');
  const run = useMutation({
    mutationFn: () => client.plan.suggest.query({ k, mode, minutes: 3 }),
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
