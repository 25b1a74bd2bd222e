/** A saved zone's versions, with a restore button for each earlier one. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTRPC, useTRPCClient } from '../data/trpc';
import { useDraft } from './draft';
import { localTime } from './format';
import type { PlanTexts } from './texts';

export function ZoneHistory({ t, id }: { t: PlanTexts; id: number }) {
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
