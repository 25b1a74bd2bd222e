/**
 * The red/black list does not move by centimetres: the stored communities lie within the
 * district (snapped onto its edge when the data are stored), and moving a community's boundary
 * outward by 1 cm changes no rank.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../server/db/database';
import { DEFAULT_RANKING } from '../../domain/rankingScore';
import { rankings } from '../../server/services/rankings';
import { startTestServer, type TestServer } from '../setup/testServer';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(async () => {
  await s?.close();
});

const JUNE = new Date('2026-06-15T00:00:00+08:00');
/** A fresh identity for the database, so that no cached coverage or reach is reused. */
const uncached = (db: Database): Database => Object.create(db) as Database;
const rank = async () => {
  const r = await rankings(uncached(s.db), { period: 'month', at: JUNE }, DEFAULT_RANKING);
  return r;
};
const order = (r: Awaited<ReturnType<typeof rank>>) =>
  r.communities.map((c) => `${c.communityId}:${c.rank}:${c.score}`);

describe('communities and the district edge', () => {
  it('stores every community within the district, with no tolerance', async () => {
    const [row] = await s.db.query<{ outside: number; n: number; invalid: number }>(
      `SELECT count(*) FILTER (WHERE NOT ST_CoveredBy(c.geom, d.geom))::int AS outside,
              count(*) FILTER (WHERE NOT ST_IsValid(c.geom))::int AS invalid,
              count(*)::int AS n
       FROM communities c, (SELECT geom FROM district LIMIT 1) d`,
    );
    expect(row).toEqual({ outside: 0, invalid: 0, n: 79 });
  });

  it('gives a community wholly within 3-minute reach a full share', async () => {
    const r = await rank();
    const full = r.communities.filter((c) => c.indicators.reach > 0.9999);
    expect(full.length).toBeGreaterThan(3);
    // wholly within reach: all of them rank as equals on reach
    expect(new Set(full.map((c) => c.points.reach)).size).toBe(1);
  });

  it('changes no rank when a community boundary moves outward by 1 cm', async () => {
    const base = await rank();
    // one community wholly within reach (the case that moved by centimetres), one on the
    // district's edge, one in the middle of the list
    const full = base.communities.find((c) => c.indicators.reach > 0.9999)!;
    const [edge] = await s.db.query<{ id: number }>(
      `SELECT c.id FROM communities c, district d
       WHERE ST_Intersects(ST_Boundary(c.geom), ST_Boundary(d.geom)) AND c.id <> $1
       ORDER BY c.id LIMIT 1`,
      [full.communityId],
    );
    const middle = base.communities[39]!;
    for (const id of [full.communityId, edge!.id, middle.communityId]) {
      const [{ geom } = { geom: '' }] = await s.db.query<{ geom: string }>(
        `SELECT ST_AsEWKB(geom)::text AS geom FROM communities WHERE id = $1`,
        [id],
      );
      await s.db.query(
        `UPDATE communities SET geom = ST_Multi(ST_Buffer(geom::geography, 0.01)::geometry)
         WHERE id = $1`,
        [id],
      );
      try {
        const moved = await rank();
        // the boundary did move outward, by about 1 cm
        const [d] = await s.db.query<{ m: number }>(
          `SELECT ST_HausdorffDistance(geom, $2::text::bytea::geometry) * 111320 AS m
           FROM communities WHERE id = $1`,
          [id, geom],
        );
        expect(d!.m).toBeGreaterThan(0.005);
        expect(d!.m).toBeLessThan(0.02);
        expect(order(moved)).toEqual(order(base));
        expect(moved.red).toEqual(base.red);
        expect(moved.black).toEqual(base.black);
      } finally {
        await s.db.query(`UPDATE communities SET geom = $2::text::bytea::geometry WHERE id = $1`, [
          id,
          geom,
        ]);
      }
    }
  });
});
