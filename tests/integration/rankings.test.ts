/**
 * The red/black list: calendar periods (the last complete one by default, a partial one compared
 * with the same days of the previous one), indicators that agree with the other procedures, the
 * score, the weights.
 */
import { TRPCClientError } from '@trpc/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppRouter } from '../../server/router';
import { byCommunity } from '../../server/services/coverage';
import { INDICATORS, type Weights } from '../../domain/rankingScore';
import { rankings } from '../../server/services/rankings';
import { startTestServer, type TestServer } from '../setup/testServer';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(async () => {
  await s?.close();
});

const JUNE = { from: '2026-06-01T00:00:00+08:00', to: '2026-07-01T00:00:00+08:00' };
const MAY = { from: '2026-05-01T00:00:00+08:00', to: JUNE.from };
const iso = (t: string) => new Date(t).toISOString();
const ms = (w: { from: string; to: string }) =>
  new Date(w.to).getTime() - new Date(w.from).getTime();
const median = (xs: number[]) => {
  const v = [...xs].sort((a, b) => a - b);
  const m = Math.floor(v.length / 2);
  return v.length % 2 ? v[m]! : (v[m - 1]! + v[m]!) / 2;
};
/** the median change of the communities with incidents in both windows */
const medianChange = (r: { communities: { indicators: { change: number | null } }[] }) =>
  median(r.communities.flatMap((c) => (c.indicators.change === null ? [] : [c.indicators.change])));
const count = (list: { key: string; count: number }[], id: number) =>
  list.find((r) => r.key === String(id))?.count ?? 0;

describe('rankings.communities', () => {
  it('ranks all 79 communities for the month of the latest data, with red and black lists', async () => {
    const r = await s.client.rankings.communities.query();
    expect(r.period).toBe('month');
    expect(r.label).toBe('2026-06');
    expect(new Date(r.from).toISOString()).toBe(new Date(JUNE.from).toISOString());
    expect(new Date(r.to).toISOString()).toBe(new Date(JUNE.to).toISOString());
    expect(new Date(r.previous.from).toISOString()).toBe(new Date(MAY.from).toISOString());
    expect(r.partial).toBe(false);
    expect(r.complete).toBe(true);
    expect(r.previous).toMatchObject({ label: '2026-05', complete: true });
    expect(iso(r.previous.to)).toBe(iso(JUNE.from));
    // the data end with June: no month is in progress
    expect(iso(r.dataEnd!)).toBe(iso(JUNE.to));
    expect(r.inProgress).toBeNull();
    expect(r.previous.covered).toBe(true);
    // nothing is in progress: "to date" is the same complete month
    const toDate = await s.client.rankings.communities.query({ period: 'month', toDate: true });
    expect(toDate).toMatchObject({ label: '2026-06', complete: true, red: r.red, black: r.black });
    expect(r.communities).toHaveLength(79);
    expect(new Set(r.communities.map((c) => c.communityId)).size).toBe(79);
    expect(r.communities[0]!.rank).toBe(1);
    for (let i = 1; i < 79; i++) {
      const [a, b] = [r.communities[i - 1]!, r.communities[i]!];
      expect(b.score).toBeLessThanOrEqual(a.score);
      expect(b.rank).toBe(b.score === a.score ? a.rank : i + 1);
    }
    expect(r.listSize).toBe(5);
    expect(r.red).toEqual(r.communities.slice(0, 5).map((c) => c.communityId));
    expect(r.black).toEqual(
      r.communities
        .slice(-5)
        .reverse()
        .map((c) => c.communityId),
    );
  });

  it('reports indicators that agree with the incident, coverage and dispute figures', async () => {
    const r = await s.client.rankings.communities.query({ period: 'month', at: '2026-06-15' });
    const [cur, prev, fraud, cov] = await Promise.all([
      s.client.incidents.summary.query({ ...JUNE, groupBy: 'community' }),
      s.client.incidents.summary.query({ ...MAY, groupBy: 'community' }),
      s.client.incidents.summary.query({ ...JUNE, groupBy: 'community', subcategories: ['fraud'] }),
      s.client.coverage.byCommunity.query(),
    ]);
    const disputes = await s.db.query<{ id: number; n: number; resolved: number }>(
      `SELECT community_id AS id, count(*)::int AS n, count(*) FILTER (WHERE resolved_at < $2)::int AS resolved
       FROM disputes WHERE registered_at >= $1 AND registered_at < $2 GROUP BY community_id`,
      [JUNE.from, JUNE.to],
    );
    let withDisputes = 0;
    for (const c of r.communities) {
      const x = c.indicators;
      expect(x.incidents).toBe(count(cur, c.communityId));
      expect(x.previousIncidents).toBe(count(prev, c.communityId));
      expect(x.incidentRate).toBeCloseTo((x.incidents * 1000) / c.population, 9);
      if (x.previousIncidents > 0)
        expect(x.change).toBeCloseTo((x.incidents - x.previousIncidents) / x.previousIncidents, 9);
      else expect(x.change).toBeNull();
      expect(x.fraudCases).toBe(count(fraud, c.communityId));
      expect(x.coverage).toBeCloseTo(cov.find((v) => v.communityId === c.communityId)!.ratio, 9);
      expect(x.reach).toBeGreaterThanOrEqual(0);
      expect(x.reach).toBeLessThanOrEqual(1);
      const d = disputes.find((v) => v.id === c.communityId);
      expect(x.disputes).toBe(d?.n ?? 0);
      expect(x.disputesResolved).toBe(d?.resolved ?? 0);
      if (d) withDisputes++;
      // the score is the weighted mean of the points shown beside it
      const total = INDICATORS.reduce((sum, k) => sum + r.weights[k], 0);
      const score = INDICATORS.reduce((sum, k) => sum + r.weights[k] * c.points[k], 0) / total;
      expect(c.score).toBeCloseTo(score, 1);
    }
    expect(withDisputes).toBeGreaterThan(0);
    // the figures differ between communities: the list is not a tie
    expect(new Set(r.communities.map((c) => c.score)).size).toBeGreaterThan(40);
  });

  it('rolls up to quarters and years, and says when a period runs past the data', async () => {
    const q = await s.client.rankings.communities.query({ period: 'quarter', at: '2026-05-10' });
    expect(q.label).toBe('2026-Q2');
    expect(new Date(q.from).toISOString()).toBe(
      new Date('2026-04-01T00:00:00+08:00').toISOString(),
    );
    expect(new Date(q.previous.from).toISOString()).toBe(
      new Date('2026-01-01T00:00:00+08:00').toISOString(),
    );
    expect(q.partial).toBe(false);
    const y = await s.client.rankings.communities.query({ period: 'year', at: '2026-03-01' });
    expect(y.label).toBe('2026');
    expect(y.partial).toBe(true);
    const total = y.communities.reduce((sum, c) => sum + c.indicators.incidents, 0);
    const [all] = await s.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM incidents WHERE time >= '2026-01-01T00:00:00+08:00' AND time < '2027-01-01T00:00:00+08:00'`,
    );
    expect(total).toBe(all!.n);
  });

  it('compares a period in progress with the same days of the previous one, never with all of it', async () => {
    // the year 2026 runs past the data (which end with June): January–June against January–June 2025
    const y = await s.client.rankings.communities.query({ period: 'year', at: '2026-03-01' });
    expect(y).toMatchObject({ label: '2026', partial: true, complete: false });
    expect(iso(y.from)).toBe(iso('2026-01-01T00:00:00+08:00'));
    expect(iso(y.to)).toBe(iso(JUNE.to));
    expect(iso(y.periodEnd)).toBe(iso('2027-01-01T00:00:00+08:00'));
    expect(y.previous).toMatchObject({ label: '2025', complete: false });
    expect(iso(y.previous.from)).toBe(iso('2025-01-01T00:00:00+08:00'));
    expect(iso(y.previous.to)).toBe(iso('2025-07-01T00:00:00+08:00'));
    expect(ms(y.previous)).toBe(ms(y));
    const prev = await s.client.incidents.summary.query({
      from: y.previous.from,
      to: y.previous.to,
      groupBy: 'community',
    });
    for (const c of y.communities)
      expect(c.indicators.previousIncidents).toBe(count(prev, c.communityId));
    // the data are roughly stationary: like for like, the typical change is small
    expect(Math.abs(medianChange(y))).toBeLessThan(0.2);

    // data ending on 5 June at 14:30: May is the last complete month, June so far is on request
    const end = new Date('2026-06-05T14:30:00+08:00');
    const config = { weights: y.weights, listSize: 5 };
    const last = await rankings(s.db, { period: 'month' }, config, end);
    expect(last).toMatchObject({ label: '2026-05', complete: true, partial: false });
    expect(iso(last.from)).toBe(iso(MAY.from));
    expect(iso(last.to)).toBe(iso(MAY.to));
    expect(last.previous).toMatchObject({ label: '2026-04', complete: true });
    expect(last.inProgress).toMatchObject({ label: '2026-06' });
    expect(iso(last.inProgress!.to)).toBe(end.toISOString());
    const now = await rankings(s.db, { period: 'month', toDate: true }, config, end);
    expect(now).toMatchObject({ label: '2026-06', complete: false, partial: true });
    expect(iso(now.from)).toBe(iso(JUNE.from));
    expect(iso(now.to)).toBe(end.toISOString());
    expect(now.previous).toMatchObject({ label: '2026-05', complete: false });
    expect(iso(now.previous.from)).toBe(iso(MAY.from));
    expect(iso(now.previous.to)).toBe(iso('2026-05-05T14:30:00+08:00'));
    const [cur] = await s.db.query<{ n: number; p: number }>(
      `SELECT count(*) FILTER (WHERE time >= $1 AND time < $2)::int AS n,
              count(*) FILTER (WHERE time >= $3 AND time < $4)::int AS p FROM incidents`,
      [now.from, now.to, now.previous.from, now.previous.to],
    );
    const sum = (k: 'incidents' | 'previousIncidents') =>
      now.communities.reduce((a, c) => a + c.indicators[k], 0);
    expect(sum('incidents')).toBe(cur!.n);
    expect(sum('previousIncidents')).toBe(cur!.p);
    expect(Math.abs(cur!.n / cur!.p - 1)).toBeLessThan(0.25);
    expect(Math.abs(medianChange(now))).toBeLessThan(0.3);
  });

  it('does not rank the change against a window the data do not cover', async () => {
    // the data begin in July 2024: the last complete year, 2025, has no whole 2024 to compare with
    const y = await s.client.rankings.communities.query({ period: 'year' });
    expect(y).toMatchObject({ label: '2025', complete: true });
    expect(y.previous).toMatchObject({ label: '2024', complete: true, covered: false });
    for (const c of y.communities) {
      expect(c.indicators.change).toBeNull();
      expect(c.points.change).toBe(50);
    }
    // the first half of 2026 against that of 2025 is covered
    const h = await s.client.rankings.communities.query({ period: 'year', at: '2026-03-01' });
    expect(h.previous.covered).toBe(true);
    expect(new Set(h.communities.map((c) => c.points.change)).size).toBeGreaterThan(10);
  });

  it('follows the configured weights', async () => {
    const only = (k: (typeof INDICATORS)[number]) =>
      Object.fromEntries(INDICATORS.map((i) => [i, i === k ? 1 : 0])) as Weights;
    const r = await rankings(s.db, { period: 'month' }, { weights: only('coverage'), listSize: 3 });
    const cov = await byCommunity(s.db);
    const best = [...cov].sort((a, b) => b.ratio - a.ratio);
    expect(r.red).toEqual(best.slice(0, 3).map((c) => c.communityId));
    expect(r.black).toEqual(
      best
        .slice(-3)
        .reverse()
        .map((c) => c.communityId),
    );
  });

  it('drops a community that suddenly has many incidents down the list', async () => {
    const before = await s.client.rankings.communities.query({ period: 'month', at: '2026-06-15' });
    const top = before.communities[0]!;
    await s.db.query(
      `INSERT INTO incidents (time, category, subcategory, status, community_id, geom)
       SELECT '2026-06-20T10:00:00+08:00'::timestamptz + (k || ' minutes')::interval, 'criminal', 'fraud', 'closed', c.id, ST_PointOnSurface(c.geom)
       FROM communities c, generate_series(1, 200) k WHERE c.id = $1`,
      [top.communityId],
    );
    const after = await s.client.rankings.communities.query({ period: 'month', at: '2026-06-15' });
    const moved = after.communities.find((c) => c.communityId === top.communityId)!;
    expect(moved.indicators.incidents).toBe(top.indicators.incidents + 200);
    expect(moved.indicators.fraudCases).toBe(top.indicators.fraudCases + 200);
    expect(moved.rank).toBeGreaterThan(40);
    expect(after.red).not.toContain(top.communityId);
  });

  it('sees a moved post at once in the 3-minute reach', async () => {
    const before = await s.client.rankings.communities.query({ period: 'month' });
    const far = before.communities
      .filter((c) => c.indicators.reach < 0.3)
      .sort((a, b) => a.indicators.reach - b.indicators.reach)[0]!;
    await s.db.query(
      `UPDATE patrol_units SET geom = (SELECT ST_PointOnSurface(geom) FROM communities WHERE id = $1)
       WHERE id = (SELECT min(id) FROM patrol_units WHERE kind = 'post' AND status <> 'off_duty')`,
      [far.communityId],
    );
    const after = await s.client.rankings.communities.query({ period: 'month' });
    const moved = after.communities.find((c) => c.communityId === far.communityId)!;
    expect(moved.indicators.reach).toBeGreaterThan(far.indicators.reach + 0.2);
  });

  it('refuses a period it does not know and a date that is not one', async () => {
    const err = await s.client.rankings.communities
      // @ts-expect-error: not a period
      .query({ period: 'week' })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TRPCClientError);
    expect((err as TRPCClientError<AppRouter>).data?.code).toBe('BAD_REQUEST');
    expect((err as Error).message).toMatch(/period/);
    const bad = await s.client.rankings.communities
      .query({ period: 'month', at: '2026-02-30' })
      .catch((e: unknown) => e);
    expect((bad as Error).message).toMatch(/at: /);
  });
});
