/** The clicked incident. */
import { useQuery } from '@tanstack/react-query';
import { useTRPC } from '../data/trpc';
import { useT } from '../i18n';
import { useView } from '../state/viewStore';
import { CATEGORY_COLOURS, css } from '../theme';
import { ZONE } from '../../domain/time';
import type { IncidentCategory } from '../../domain/vocabulary';

const statusNames: Record<string, [string, string]> = {
  open: ['待处置', 'Open'],
  dispatched: ['已派警', 'Dispatched'],
  on_scene: ['已到场', 'On scene'],
  closed: ['已办结', 'Closed'],
};

export function IncidentDetails() {
  const t = useT();
  const trpc = useTRPC();
  const id = useView((s) => s.incidentId);
  const select = useView((s) => s.selectIncident);
  const q = useQuery({ ...trpc.incidents.get.queryOptions({ id: id ?? 0 }), enabled: id !== null });
  if (id === null) return null;
  const i = q.data;
  const zh = t.lang === 'zh' ? 0 : 1;
  return (
    <section className="card" data-testid="incident-details">
      <h2>
        <span style={{ color: 'var(--text)' }}>
          {t.incidents} #{id}
        </span>
        <button className="collapse" onClick={() => select(null)} aria-label={t.close}>
          ✕
        </button>
      </h2>
      {q.isLoading && <div className="empty">{t.loading}</div>}
      {q.error && <div className="empty">{q.error.message}</div>}
      {i && (
        <dl>
          <dt>{t.time}</dt>
          <dd className="num">
            {new Date(i.time).toLocaleString('zh-CN', { timeZone: ZONE, hour12: false })}
          </dd>
          <dt>{t.categoryLabel}</dt>
          <dd>
            <span
              className="swatch"
              style={{
                background: css(CATEGORY_COLOURS[i.category as IncidentCategory]),
                marginRight: 6,
              }}
            />
            {t.category(i.category as IncidentCategory)} · {t.subcategory(i.subcategory)}
          </dd>
          <dt>{t.status}</dt>
          <dd>{statusNames[i.status]?.[zh] ?? i.status}</dd>
          <dt>{t.community}</dt>
          <dd>{i.communityName ?? '—'}</dd>
        </dl>
      )}
    </section>
  );
}
