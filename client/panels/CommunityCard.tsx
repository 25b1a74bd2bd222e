/** The selected village/community: who and where it is, and its incidents in the window by category. */
import { useQuery } from '@tanstack/react-query';
import { useRegions, usePanelWindowRanges } from '../data/hooks';
import { useTRPC } from '../data/trpc';
import { useCategoryComparison } from '../data/kpis';
import { useT } from '../i18n';
import { useView } from '../state/viewStore';
import { CategoryTable, Delta } from './Delta';
import { RankLine } from './RankingsPanel';

export function CommunityCard() {
  const t = useT();
  const id = useView((s) => s.communityId);
  const select = useView((s) => s.selectCommunity);
  const categories = useView((s) => s.categories);
  const { range, previous } = usePanelWindowRanges();
  const { communities } = useRegions();
  const c = communities?.features.find((f) => f.properties.id === id)?.properties;
  const cmp = useCategoryComparison(range, previous, categories, id ?? undefined);
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
      <CoverageLine communityId={id} />
      <RankLine communityId={id} />
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

/** Camera coverage of the community, with and without the infill batch, and how it is measured. */
function CoverageLine({ communityId }: { communityId: number }) {
  const t = useT();
  const trpc = useTRPC();
  const q = useQuery({ ...trpc.coverage.infill.queryOptions(), staleTime: 5 * 60_000 });
  const row = q.data?.find((r) => r.communityId === communityId);
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  if (!row) return q.isLoading ? <div className="empty">{t.loading}</div> : null;
  return (
    <div style={{ margin: '8px 0' }} data-testid="community-coverage">
      <span style={{ color: 'var(--muted)' }}>
        {t.lang === 'zh' ? '摄像头覆盖' : 'Camera coverage'}
      </span>{' '}
      <span className="num" style={{ fontWeight: 700 }}>
        {pct(row.ratio)}
      </span>{' '}
      <span className="num" style={{ color: 'var(--muted)' }}>
        {t.lang === 'zh'
          ? `（补盲前 ${pct(row.ratioWithout)}）`
          : `(before the infill ${pct(row.ratioWithout)})`}
      </span>
      <div style={{ color: 'var(--muted)', fontSize: 12 }}>
        {t.lang === 'zh'
          ? '方法：在线摄像头视域（朝向、视角、距离）合并后占村/社区面积的比例'
          : 'method: the share of the area inside the union of working cameras’ sectors (bearing, field of view, range)'}
      </div>
    </div>
  );
}
