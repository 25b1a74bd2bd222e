/**
 * Stores a generated demo dataset. Everything goes in one transaction: a failed seed leaves the
 * database as it was. Bulk rows travel as one array per column (`unnest`), not one object per row.
 */
import type { Geometry } from 'geojson';
import type { Database, Queryable } from './database';
import { type DemoData } from '../demo/types';
import { INCIDENT_CATEGORIES, INCIDENT_STATUSES } from '../../domain/vocabulary';

const GEOM = (col: string) => `ST_SetSRID(ST_GeomFromGeoJSON(${col}),4326)`;
const MULTI = (col: string) => `ST_Multi(${GEOM(col)})`;
const BATCH = 25_000;

/** Inserts rows given as JSON through json_to_recordset: one parameter for the whole table. */
async function insertJson(
  tx: Queryable,
  table: string,
  columns: Record<string, string>,
  rows: Record<string, unknown>[],
  exprs: Record<string, string> = {},
) {
  if (!rows.length) return;
  const names = Object.keys(columns);
  const defs = names.map((n) => `${n} ${columns[n]}`).join(', ');
  const values = names.map((n) => exprs[n] ?? n).join(', ');
  await tx.query(
    `INSERT INTO ${table} (${names.join(', ')}) SELECT ${values} FROM json_to_recordset($1::json) AS x(${defs})`,
    [JSON.stringify(rows)],
  );
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
const geo = (g: Geometry) => JSON.stringify(g);

/** How far a community may poke out of the district and still be snapped onto its edge. */
export const SNAP_TOLERANCE_M = 0.5;
/** The tolerance in degrees, rounded up (a degree of latitude is about 111 km; of longitude less). */
const SNAP_TOLERANCE_DEG = SNAP_TOLERANCE_M / 100_000;

/**
 * Clips every community that is not covered by the district to it, after snapping its vertices
 * within SNAP_TOLERANCE_M onto the district's edge, so that an area share of a community (its
 * part within reach, within camera view) is not spoiled by centimetres of boundary lying outside
 * the district. A community poking out further than the tolerance is a data error: the seed
 * fails and names it. Keeps valid polygons (multipolygons, as stored). Returns how many moved and how far (metres,
 * the farthest point of a community outside the district).
 */
export async function snapCommunitiesToDistrict(tx: Queryable) {
  const [out] = await tx.query<{ moved: number; max_m: number | null; worst: string | null }>(
    `WITH d AS (SELECT geom FROM district LIMIT 1),
          outside AS (
            SELECT c.id, c.name,
              (SELECT max(ST_Distance(p.geom::geography, ST_Boundary(d.geom)::geography))
                 FROM ST_DumpPoints(ST_Difference(c.geom, d.geom)) p) AS m
            FROM communities c, d
            WHERE NOT ST_CoveredBy(c.geom, d.geom))
     SELECT count(*)::int AS moved, max(m) AS max_m,
            (SELECT name || ' (' || round(m::numeric, 3) || ' m)' FROM outside
               WHERE m > ${SNAP_TOLERANCE_M} ORDER BY m DESC LIMIT 1) AS worst
     FROM outside`,
  );
  if (out?.worst)
    throw new Error(
      `community ${out.worst} lies outside the district by more than ${SNAP_TOLERANCE_M} m`,
    );
  if (!out?.moved) return { moved: 0, maxM: 0 };
  // Clipped to the district itself where the result is covered by it exactly; otherwise (the
  // computed crossing points fall a rounding error either side of the edge) to the district
  // shrunk by 1e-9° (about 0.1 mm), which puts the new edge strictly inside.
  const clip = (to: string) =>
    `ST_Multi(ST_CollectionExtract(ST_MakeValid(
       ST_Intersection(ST_Snap(c.geom, d.geom, ${SNAP_TOLERANCE_DEG}), ${to})), 3))`;
  await tx.query(
    `UPDATE communities c
     SET geom = CASE WHEN ST_CoveredBy(${clip('d.geom')}, d.geom) THEN ${clip('d.geom')}
                     ELSE ${clip('ST_Buffer(d.geom, -1e-9)')} END
     FROM (SELECT geom FROM district LIMIT 1) d
     WHERE NOT ST_CoveredBy(c.geom, d.geom)`,
  );
  return { moved: out.moved, maxM: Number(out.max_m ?? 0) };
}

export async function seedDemo(
  db: Database,
  data: DemoData,
  log: (msg: string) => void = () => {},
) {
  await db.transaction(async (tx) => {
    log('storing regions');
    await insertJson(
      tx,
      'district',
      { code: 'text', name: 'text', geom: 'text' },
      [{ code: data.district.code, name: data.district.name, geom: geo(data.district.geom) }],
      { geom: MULTI('geom') },
    );
    await insertJson(
      tx,
      'towns',
      { id: 'int', code: 'text', name: 'text', geometry_source: 'text', geom: 'text' },
      data.towns.map((t) => ({
        id: t.id,
        code: t.code,
        name: t.name,
        geometry_source: t.geometrySource,
        geom: geo(t.geom),
      })),
      { geom: MULTI('geom') },
    );
    await insertJson(
      tx,
      'communities',
      {
        id: 'int',
        code: 'text',
        name: 'text',
        town_id: 'int',
        kind: 'text',
        population: 'int',
        synthetic: 'boolean',
        geometry_source: 'text',
        geom: 'text',
      },
      data.communities.map((c) => ({
        id: c.id,
        code: c.code,
        name: c.name,
        town_id: c.townId,
        kind: c.kind,
        population: c.population,
        synthetic: c.synthetic,
        geometry_source: c.geometrySource,
        geom: geo(c.geom),
      })),
      { geom: MULTI('geom') },
    );
    const snap = await snapCommunitiesToDistrict(tx);
    log(
      snap.moved
        ? `snapped ${snap.moved} communities to the district edge (at most ${snap.maxM.toFixed(3)} m outside)`
        : 'all communities lie within the district',
    );

    log(`storing ${data.incidents.count.toLocaleString('en')} incidents`);
    await insertIncidents(tx, data);

    log('storing disputes, cameras, sites, circles and patrols');
    await insertJson(
      tx,
      'disputes',
      {
        registered_at: 'timestamptz',
        resolved_at: 'timestamptz',
        kind: 'text',
        risk: 'text',
        channel: 'text',
        studio: 'text',
        community_id: 'int',
        geom: 'text',
      },
      data.disputes.map((d) => ({
        registered_at: iso(d.registeredAt),
        resolved_at: iso(d.resolvedAt),
        kind: d.kind,
        risk: d.risk,
        channel: d.channel,
        studio: d.studio,
        community_id: d.communityId,
        geom: geo(d.geom),
      })),
      { geom: GEOM('geom') },
    );
    await insertJson(
      tx,
      'cameras',
      {
        kind: 'text',
        bearing: 'real',
        fov: 'real',
        range_m: 'real',
        status: 'text',
        batch: 'text',
        installed_at: 'date',
        geom: 'text',
      },
      data.cameras.map((c) => ({
        kind: c.kind,
        bearing: c.bearing,
        fov: c.fov,
        range_m: c.rangeM,
        status: c.status,
        batch: c.batch,
        installed_at: iso(c.installedAt)!.slice(0, 10),
        geom: geo(c.geom),
      })),
      { geom: GEOM('geom') },
    );
    await insertJson(
      tx,
      'sites',
      { kind: 'text', name: 'text', community_id: 'int', geom: 'text' },
      data.sites.map((s) => ({
        kind: s.kind,
        name: s.name,
        community_id: s.communityId,
        geom: geo(s.geom),
      })),
      { geom: GEOM('geom') },
    );
    await insertJson(
      tx,
      'protection_circles',
      { ring: 'text', name: 'text', description: 'text', geom: 'text' },
      data.circles.map((c) => ({
        ring: c.ring,
        name: c.name,
        description: c.description,
        geom: geo(c.geom),
      })),
      { geom: MULTI('geom') },
    );
    await insertJson(
      tx,
      'patrol_zones',
      {
        name: 'text',
        unit: 'text',
        shift: 'text',
        town_id: 'int',
        updated_by: 'text',
        geom: 'text',
      },
      data.zones.map((z) => ({
        name: z.name,
        unit: z.unit,
        shift: z.shift,
        town_id: z.townId,
        updated_by: 'demo',
        geom: geo(z.geom),
      })),
      { geom: MULTI('geom') },
    );
    await insertJson(
      tx,
      'patrol_units',
      { kind: 'text', name: 'text', status: 'text', updated_by: 'text', geom: 'text' },
      data.units.map((u) => ({
        kind: u.kind,
        name: u.name,
        status: u.status,
        updated_by: 'demo',
        geom: geo(u.geom),
      })),
      { geom: GEOM('geom') },
    );

    const meta: Record<string, string> = {
      'demo.seed': data.seed,
      'demo.anchor': data.anchor,
      'demo.start': new Date(data.start).toISOString(),
      'demo.end': new Date(data.end).toISOString(),
      'data.loadedAt': new Date().toISOString(),
    };
    await insertJson(
      tx,
      'app_meta',
      { key: 'text', value: 'text' },
      Object.entries(meta).map(([key, value]) => ({ key, value })),
    );
  });
  if (db.kind === 'server') await db.exec('ANALYZE');
}

async function insertIncidents(tx: Queryable, data: DemoData) {
  const inc = data.incidents;
  const categories = `ARRAY[${INCIDENT_CATEGORIES.map((c) => `'${c}'`).join(',')}]`;
  const statuses = `ARRAY[${INCIDENT_STATUSES.map((c) => `'${c}'`).join(',')}]`;
  const subs = `$7::text[]`;
  for (let from = 0; from < inc.count; from += BATCH) {
    const to = Math.min(inc.count, from + BATCH);
    await tx.query(
      `INSERT INTO incidents (time, category, subcategory, status, community_id, geom)
       SELECT to_timestamp(t / 1000.0), (${categories})[c + 1], (${subs})[s + 1], (${statuses})[st + 1],
              nullif(cm, 0), ST_SetSRID(ST_MakePoint(x, y), 4326)
       FROM unnest($1::float8[], $2::float8[], $3::float8[], $4::int[], $5::int[], $6::int[], $8::int[])
         AS u(x, y, t, c, s, st, cm)`,
      [
        Array.from(inc.lon.subarray(from, to)),
        Array.from(inc.lat.subarray(from, to)),
        Array.from(inc.time.subarray(from, to)),
        Array.from(inc.category.subarray(from, to)),
        Array.from(inc.subcategory.subarray(from, to)),
        Array.from(inc.status.subarray(from, to)),
        inc.subcategories,
        Array.from(inc.communityId.subarray(from, to)),
      ],
    );
  }
}
