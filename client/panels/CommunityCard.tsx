/** The selected village/community: who and where it is, and its incidents in the window by category. */
import { useRegions, useWindowRange } from '../data/hooks';
import { useCategoryComparison } from '../data/kpis';
import { useT } from '../i18n';
import { useView } from '../state/viewStore';
import { CategoryTable, Delta } from './Delta';

export function CommunityCard() {
  const t = useT();
  const id = useView((s) => s.communityId);
  const select = useView((s) => s.selectCommunity);
  const categories = useView((s) => s.categories);
  const range = useWindowRange();
  const { communities } = useRegions();
  const c = communities?.features.find((f) => f.properties.id === id)?.properties;
  const cmp = useCategoryComparison(range, categories, id ?? undefined);
  if (id === null) return null;
  return (
    <section className="card" data-testid="community-card">
      <h2>
        <span style={{ color: 'var(--text)', fontSize: 18 }}>{c?.name ?? '…'}</span>
        <button className="collapse" onClick={() => select(null)} aria-label={t.close}>
          ✕
        </button>
      </h2>
      {c && (
        <dl>
          <dt>{t.town}</dt>
          <dd>{c.townName}</dd>
          <dt>{t.kind}</dt>
          <dd>{c.kind === 'village' ? t.village : t.community}</dd>
          <dt>{t.population}</dt>
          <dd className="num">{t.num(c.population)}</dd>
        </dl>
      )}
      {c?.synthetic && <span className="badge">{t.synthetic}</span>}
      {cmp.rows && cmp.total && (
        <>
          <div style={{ display: 'flex', alignItems: 'baseline', gap: 10, margin: '8px 0 4px' }}>
            <span style={{ color: 'var(--muted)' }}>{t.incidentsIn}</span>
            <span
              className="num"
              style={{ fontSize: 22, fontWeight: 700 }}
              data-testid="community-total"
            >
              {t.num(cmp.total.current)}
            </span>
            <Delta current={cmp.total.current} previous={cmp.total.previous} />
          </div>
          <CategoryTable rows={cmp.rows.filter((r) => r.current || r.previous)} />
        </>
      )}
    </section>
  );
}
