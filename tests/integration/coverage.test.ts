/**
 * Camera coverage from PostGIS over real HTTP: shares per community, agreement with an
 * independent Turf computation, what the 654 infill cameras changed, the gaps, the key sites,
 * and that offline cameras cover nothing (which also proves the cache follows the camera set).
 * Coverage is kept up to date incrementally: after cameras move, turn, go offline or are added it
 * must equal a computation from scratch, and readers running meanwhile must only ever see whole
 * states, one after another.
 */
import { area, bbox, booleanIntersects, featureCollection, intersect, union } from '@turf/turf';
import type { Feature, MultiPolygon, Point, Polygon } from 'geojson';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cameraSector } from '../../geo/cameraSector';
import type { Queryable } from '../../server/db/database';
import { byCommunity, SECTORS_SQL } from '../../server/services/coverage';
import { startTestServer, type TestServer } from '../setup/testServer';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(async () => {
  await s?.close();
});

type Area = Feature<Polygon | MultiPolygon>;

const INFILL = 'sharp-eyes-infill';

/** Covered m² per community (by id), from scratch: sectors built from the cameras, unioned per community. */
async function fromScratch(q: Queryable, withoutBatch: string | null = null): Promise<number[]> {
  const rows = await q.query<{ coveredM2: number }>(
    `WITH s AS MATERIALIZED (${SECTORS_SQL})
     SELECT coalesce((SELECT ST_Area(ST_Intersection(cm.geom, ST_Union(s.geom))::geography)
                      FROM s WHERE ST_Intersects(s.geom, cm.geom) AND ($1::text IS NULL OR s.batch <> $1)), 0) AS "coveredM2"
     FROM communities cm ORDER BY cm.id`,
    [withoutBatch],
  );
  return rows.map((r) => Number(r.coveredM2));
}

/** The same figures, to well under a square metre (the order of a union may move the last digits). */
const same = (a: number[], b: number[]) =>
  a.length === b.length && a.every((x, i) => Math.abs(x - b[i]!) < 1e-3);

describe('coverage', () => {
  it('gives every community its area, covered area and ratio', async () => {
    const rows = await s.client.coverage.byCommunity.query();
    expect(rows).toHaveLength(79);
    for (const r of rows) {
      expect(r.ratio).toBeGreaterThanOrEqual(0);
      expect(r.ratio).toBeLessThanOrEqual(1 + 1e-9);
      expect(r.coveredM2).toBeLessThanOrEqual(r.areaM2 * (1 + 1e-9));
      expect(r.ratio).toBeCloseTo(r.coveredM2 / r.areaM2, 9);
    }
    // the district is about 129 km² (our boundary, simplified); the communities tile it
    const total = rows.reduce((a, r) => a + r.areaM2, 0) / 1e6;
    expect(total).toBeGreaterThan(110);
    expect(total).toBeLessThan(150);
    // urban communities are far better covered than rural villages
    const best = Math.max(...rows.map((r) => r.ratio));
    expect(best).toBeGreaterThan(0.3);
  });

  it('agrees with an independent Turf computation within 0.5 percentage points', async () => {
    const [rows, cams, comms] = await Promise.all([
      s.client.coverage.byCommunity.query(),
      s.client.cameras.list.query({ status: 'online' }),
      s.client.regions.communities.query(),
    ]);
    // the best covered, a middling one and a poorly covered one
    const sorted = [...rows].sort((a, b) => b.ratio - a.ratio);
    const picks = [
      sorted[0]!,
      sorted[1]!,
      sorted[Math.floor(sorted.length / 2)]!,
      sorted[sorted.length - 5]!,
    ];
    for (const pick of picks) {
      const community = comms.features.find(
        (f) => f.properties.id === pick.communityId,
      )! as unknown as Area;
      const [w, so, e, n] = bbox(community);
      const margin = 0.003;
      const sectors = (
        cams.features as unknown as Feature<
          Point,
          { bearing: number; fov: number; rangeM: number }
        >[]
      )
        .filter((f) => {
          const [x, y] = f.geometry.coordinates as [number, number];
          return x > w - margin && x < e + margin && y > so - margin && y < n + margin;
        })
        .map((f) => {
          const [lon, lat] = f.geometry.coordinates as [number, number];
          return cameraSector({ lon, lat, ...f.properties });
        })
        .filter((sec) => booleanIntersects(sec, community));
      let covered = 0;
      if (sectors.length) {
        const merged = sectors.length === 1 ? sectors[0]! : union(featureCollection(sectors))!;
        const inside = intersect(featureCollection([community, merged as Area]));
        covered = inside ? area(inside) : 0;
      }
      const turfRatio = covered / area(community);
      expect(
        Math.abs(turfRatio - pick.ratio),
        `${pick.name}: turf ${turfRatio} vs PostGIS ${pick.ratio}`,
      ).toBeLessThan(0.005);
    }
  });

  it('shows what the 654 infill cameras added', async () => {
    const rows = await s.client.coverage.infill.query();
    expect(rows).toHaveLength(79);
    for (const r of rows) expect(r.ratioWithout).toBeLessThanOrEqual(r.ratio + 1e-9);
    const gained = rows.filter((r) => r.ratio - r.ratioWithout > 0.001);
    expect(gained.length).toBeGreaterThan(20);
    const covered = (k: 'ratio' | 'ratioWithout') => rows.reduce((a, r) => a + r[k] * r.areaM2, 0);
    expect(covered('ratio')).toBeGreaterThan(covered('ratioWithout') * 1.1);
  });

  it('returns the uncovered parts, which with the covered part make up the community', async () => {
    const rows = await s.client.coverage.byCommunity.query();
    const c = [...rows].sort((a, b) => b.ratio - a.ratio)[2]!;
    const gaps = await s.client.coverage.gaps.query({ communityId: c.communityId });
    expect(gaps.features.length).toBeGreaterThan(0);
    for (const g of gaps.features) expect(g.properties.communityId).toBe(c.communityId);
    const gapArea = gaps.features.reduce((a, g) => a + g.properties.areaM2, 0);
    expect(Math.abs(gapArea + c.coveredM2 - c.areaM2) / c.areaM2).toBeLessThan(0.001);
    const big = await s.client.coverage.gaps.query({ communityId: c.communityId, minAreaM2: 5000 });
    expect(big.features.length).toBeLessThanOrEqual(gaps.features.length);
    for (const g of big.features) expect(g.properties.areaM2).toBeGreaterThanOrEqual(5000);
  });

  it('rates the key sites by how much of their surroundings cameras see', async () => {
    const sites = await s.client.coverage.sites.query({ bufferM: 50 });
    expect(sites.length).toBeGreaterThanOrEqual(50);
    for (const x of sites) {
      expect(x.ratio).toBeGreaterThanOrEqual(0);
      expect(x.ratio).toBeLessThanOrEqual(1 + 1e-9);
      expect(x.kind).not.toBe('checkpoint');
    }
    for (let i = 1; i < sites.length; i++)
      expect(sites[i]!.ratio).toBeGreaterThanOrEqual(sites[i - 1]!.ratio);
  });

  it('rejects bad input with the field named', async () => {
    await expect(s.client.coverage.gaps.query({ communityId: -3 })).rejects.toThrow(/communityId/);
    await expect(s.client.coverage.sites.query({ bufferM: 0 })).rejects.toThrow(/bufferM/);
  });

  it('after a camera moves and turns, one goes offline and one is added, equals coverage from scratch; readers never see half of it', async () => {
    const covered = (rows: { coveredM2: number }[]) => rows.map((r) => r.coveredM2);
    const before = {
      all: covered(await s.client.coverage.byCommunity.query()),
      without: covered(await s.client.coverage.byCommunity.query({ withoutBatch: INFILL })),
    };
    expect(same(before.all, await fromScratch(s.db))).toBe(true);
    expect(same(before.without, await fromScratch(s.db, INFILL))).toBe(true);

    // a long-range bullet of the existing batch; the camera whose sector spans the most
    // communities; the least covered community for a new dome of the infill batch
    const [{ a }] = (await s.db.query<{ a: number }>(
      `SELECT id AS a FROM cameras WHERE kind = 'bullet' AND status = 'online' AND batch <> $1
       ORDER BY range_m DESC, id LIMIT 1`,
      [INFILL],
    )) as [{ a: number }];
    const [{ b }] = (await s.db.query<{ b: number }>(
      `SELECT s.camera_id AS b FROM camera_sectors s JOIN communities cm ON ST_Intersects(cm.geom, s.geom)
       WHERE s.camera_id <> $1 GROUP BY s.camera_id ORDER BY count(*) DESC, s.camera_id LIMIT 1`,
      [a],
    )) as [{ b: number }];
    const ids = (await s.client.coverage.byCommunity.query()).map((r) => r.communityId);
    const poorest = ids[before.all.indexOf(Math.min(...before.all))]!;

    // readers keep asking, through HTTP and directly (also past the in-process memo), while one
    // transaction makes the three changes with pauses in between
    const seen: { without: boolean; values: number[] }[] = [];
    let writing = true;
    const reader = async (r: number) => {
      for (let n = 0; writing; n++) {
        const without = n % 2 === 1;
        const rows =
          n % 3 === 0
            ? await s.client.coverage.byCommunity.query(without ? { withoutBatch: INFILL } : {})
            : await byCommunity(s.db, { withoutBatch: without ? INFILL : `none-${r}-${n}` });
        seen.push({ without, values: covered(rows) });
      }
    };
    const readers = [0, 1, 2].map(reader);
    const pause = () => new Promise((r) => setTimeout(r, 150));
    await pause();
    const after = await s.db.transaction(async (tx) => {
      await tx.query(
        `UPDATE cameras SET geom = ST_Translate(geom, 0.0003, 0),
           bearing = CASE WHEN bearing >= 270 THEN bearing - 270 ELSE bearing + 90 END
         WHERE id = $1`,
        [a],
      );
      await pause();
      await tx.query(`UPDATE cameras SET status = 'offline' WHERE id = $1`, [b]);
      await pause();
      await tx.query(
        `INSERT INTO cameras (kind, bearing, fov, range_m, status, batch, installed_at, geom)
         SELECT 'dome', 0, 360, 120, 'online', $2, '2026-06-01', ST_PointOnSurface(geom)
         FROM communities WHERE id = $1`,
        [poorest, INFILL],
      );
      await pause();
      return { all: await fromScratch(tx), without: await fromScratch(tx, INFILL) };
    });
    writing = false;
    await Promise.all(readers);

    // the changes matter: the moved, the switched-off and the new camera's communities
    const changed = before.all.filter((x, i) => Math.abs(x - after.all[i]!) > 1).length;
    expect(changed).toBeGreaterThanOrEqual(3);
    expect(same(before.without, after.without)).toBe(false);

    // every answer is the whole state before or the whole state after
    expect(seen.length).toBeGreaterThan(3);
    for (const x of seen) {
      const want = x.without ? [before.without, after.without] : [before.all, after.all];
      expect(same(x.values, want[0]!) || same(x.values, want[1]!)).toBe(true);
    }

    // afterwards: exactly coverage from scratch, through HTTP and directly
    expect(same(covered(await s.client.coverage.byCommunity.query()), after.all)).toBe(true);
    expect(
      same(
        covered(await s.client.coverage.byCommunity.query({ withoutBatch: INFILL })),
        after.without,
      ),
    ).toBe(true);
    expect(same(covered(await byCommunity(s.db, { withoutBatch: 'none-after' })), after.all)).toBe(
      true,
    );
    expect(same(after.all, await fromScratch(s.db))).toBe(true);
    // the triggers kept every sector right, and what is stored as current is current
    const [{ wrong }] = (await s.db.query<{ wrong: number }>(
      `SELECT count(*)::int AS wrong FROM (${SECTORS_SQL}) x FULL JOIN camera_sectors s ON s.camera_id = x.id
       WHERE x.id IS NULL OR s.camera_id IS NULL OR s.batch <> x.batch OR s.geom::bytea <> x.geom::bytea`,
    )) as [{ wrong: number }];
    expect(wrong).toBe(0);
    const stored = await s.db.query<{ id: number; variant: string; coveredM2: number }>(
      `SELECT cc.community_id AS id, cc.variant, cc.covered_m2 AS "coveredM2"
       FROM community_coverage cc LEFT JOIN coverage_changes ch USING (community_id)
       WHERE cc.as_of >= coalesce(ch.version, 0)`,
    );
    expect(stored.length).toBe(2 * ids.length);
    for (const r of stored) {
      const want = (r.variant === 'all' ? after.all : after.without)[ids.indexOf(r.id)]!;
      expect(Math.abs(r.coveredM2 - want)).toBeLessThan(1e-3);
    }
  });

  it('stays exact while changes keep coming and readers keep reading', async () => {
    // a bullet no other sector comes near (about 100 m): each longer reach adds to the coverage
    const [{ a }] = (await s.db.query<{ a: number }>(
      `SELECT c.id AS a FROM cameras c WHERE c.kind = 'bullet' AND c.status = 'online'
         AND NOT EXISTS (SELECT 1 FROM camera_sectors o WHERE o.camera_id <> c.id AND ST_DWithin(o.geom, c.geom, 0.001))
       ORDER BY c.range_m DESC, c.id LIMIT 1`,
    )) as [{ a: number }];
    // the state after each transaction, computed from scratch inside it
    const states = [await fromScratch(s.db)];
    const seen: number[][][] = [[], [], []];
    let writing = true;
    const reader = async (r: number) => {
      for (let n = 0; writing; n++) {
        const rows =
          n % 2 === 0
            ? await s.client.coverage.byCommunity.query()
            : await byCommunity(s.db, { withoutBatch: `none-${r}-${n}` });
        seen[r]!.push(rows.map((x) => x.coveredM2));
      }
    };
    const readers = [0, 1, 2].map(reader);
    for (let k = 0; k < 4; k++)
      states.push(
        await s.db.transaction(async (tx) => {
          await tx.query(
            `UPDATE cameras SET range_m = range_m + 5,
               bearing = CASE WHEN bearing >= 315 THEN bearing - 315 ELSE bearing + 45 END
             WHERE id = $1`,
            [a],
          );
          return fromScratch(tx);
        }),
      );
    writing = false;
    await Promise.all(readers);
    for (let k = 1; k < states.length; k++) expect(same(states[k - 1]!, states[k]!)).toBe(false);
    // each reader sees whole states, one after another, never going back
    for (const reads of seen) {
      let last = 0;
      for (const values of reads) {
        const k = states.findIndex((st) => same(values, st));
        expect(k).toBeGreaterThanOrEqual(last);
        last = k;
      }
    }
    const final = states.at(-1)!;
    const now = await s.client.coverage.byCommunity.query();
    expect(
      same(
        now.map((r) => r.coveredM2),
        final,
      ),
    ).toBe(true);
    const stored = await s.db.query<{ coveredM2: number }>(
      `SELECT cc.covered_m2 AS "coveredM2" FROM community_coverage cc
       LEFT JOIN coverage_changes ch USING (community_id)
       WHERE cc.variant = 'all' AND cc.as_of >= coalesce(ch.version, 0) ORDER BY cc.community_id`,
    );
    expect(
      same(
        stored.map((r) => r.coveredM2),
        final,
      ),
    ).toBe(true);
  });

  // last: it changes the camera set
  it('counts offline cameras as covering nothing, and recomputes when the cameras change', async () => {
    const before = await s.client.coverage.byCommunity.query();
    expect(before.some((r) => r.ratio > 0)).toBe(true);
    await s.db.query(`UPDATE cameras SET status = 'offline'`);
    const after = await s.client.coverage.byCommunity.query();
    for (const r of after) expect(r.ratio).toBe(0);
    await s.db.query(`UPDATE cameras SET status = 'online'`);
    const back = await s.client.coverage.byCommunity.query();
    expect(back.reduce((a, r) => a + r.coveredM2, 0)).toBeGreaterThan(
      before.reduce((a, r) => a + r.coveredM2, 0),
    );
  });
});
