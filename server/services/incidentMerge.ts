/**
 * The database side of an import of historical incidents (incidentImport.ts reads and checks
 * the rows): the checked rows are staged in temporary tables as they come (COPY on the server
 * database, a statement per batch on the embedded one), and each month is written into the
 * incidents as soon as the file has moved past it — while the next rows are still being read,
 * so that the reading (this process) and the writing (the database) overlap. A file in time
 * order (either way, as 110 exports are) is written a month or two behind its reading; rows of a
 * month already written that come later, and the months of a file in no order, are written at
 * the end.
 *
 * A month is written set-wise: a key stored already (incident_keys) updates its incident where
 * anything differs (a new time in another month moves it there, the same id); a new key adds an
 * incident and its key. A month without a partition yet (a first import of history) is filled as
 * a table of its own, its indexes built once it is full, and then attached: readers are not held
 * up meanwhile; from then to the commit, making another partition (writers make theirs ahead,
 * at start-up) and changing the communities (the attachment copies their foreign key) wait.
 * Rows added to a month that holds rows already go in time order. The keys come unique (the
 * import refuses a key met twice in the file); they are looked up only where the source had keys
 * stored when the import began, and a key another writer stores meanwhile (a feed of that name)
 * has its month written again, looked up.
 *
 * All of it runs in the caller's transaction: a dry run is rolled back, and a commit killed
 * midway leaves the stored incidents as they were (tests/server-only/importKill.test.ts).
 */
import { QueryError, type CopyIn, type Queryable } from '../db/database';
import { importReason } from '../../domain/importReasons';
import { codedBadInput } from '../errors';
import { HOUR_MS, UTC_OFFSET_HOURS } from '../../domain/time';

/** A batch's checked rows, as the columns they are staged in. */
export const stagedColumns = () => ({
  key: [] as string[],
  time: [] as number[],
  category: [] as string[],
  subcategory: [] as string[],
  status: [] as string[],
  address: [] as (string | null)[],
  lon: [] as number[],
  lat: [] as number[],
  /** 0: none */
  community: [] as number[],
  /** the row's number in the file */
  n: [] as number[],
  /** the Asia/Shanghai month: year × 12 + month (0–11) */
  month: [] as number[],
  /** the position's cell in a 1024 × 1024 grid over the district, in Morton order */
  z: [] as number[],
});
export type StagedColumns = ReturnType<typeof stagedColumns>;

/** At most this many incidents of one month in one import. */
const MONTH_ROWS_MAX = 500_000;
/** When months are written while the file is read. */
export interface WritePace {
  /** rows handed to the database at a time, at least (a reader's batch is never split) */
  batchRows: number;
  /** a month is taken as read once this many rows have come after its last one */
  monthDoneAfter: number;
  /** months read are written once they hold this many rows together (fewer, larger writes) */
  writeMinRows: number;
}
export const PACE: WritePace = {
  // 20,000 measured no faster than 5,000, and holds more
  batchRows: 5_000,
  monthDoneAfter: 20_000,
  writeMinRows: 50_000,
};
/** Rows read ahead of the database at most (memory holds them while a month is written). */
const AHEAD_MAX = 100_000;
/** The advisory lock under which incident partitions are made (migration 0015). */
const PARTITION_LOCK = 7_263_107;

const STAGED_COLUMNS = 'n, k, t, c, s, st, a, cm, x, y, m, z';
/** The staged row as an incident's columns, in the order of INCIDENT_COLUMNS. */
const STAGED_VALUES = `$1, r.k, to_timestamp(r.t / 1000.0), r.c, r.s, r.st, r.a, nullif(r.cm, 0)::smallint,
  ST_SetSRID(ST_MakePoint(r.x, r.y), 4326)`;
const INCIDENT_COLUMNS =
  'source, source_id, time, category, subcategory, status, address, community_id, geom';
/** Calls a feed cancelled stay cancelled. */
const NOT_CANCELLED = `NOT EXISTS (SELECT 1 FROM incident_cancellations x
  WHERE x.source = $1 AND x.source_id = r.k)`;

/** A month's partition name and bounds (as incident_partition_of names them, migration 0015). */
function monthPartition(m: number) {
  const y = Math.floor(m / 12);
  const mo = m % 12;
  return {
    name: `incidents_p${y}_${String(mo + 1).padStart(2, '0')}`,
    lo: new Date(Date.UTC(y, mo, 1) - UTC_OFFSET_HOURS * HOUR_MS).toISOString(),
    hi: new Date(Date.UTC(y, mo + 1, 1) - UTC_OFFSET_HOURS * HOUR_MS).toISOString(),
  };
}

/**
 * PostgreSQL array literals of a column's values, as the statement's parameters:
 * written here in one pass, a fraction of the driver's cost for an array of 5,000 values
 * (a value at a time, each checked for its type).
 */
function numberArray(values: readonly number[]): string {
  return `{${values.join(',')}}`;
}

/** As numberArray, of text: each value quoted (a null is NULL). */
function textArray(values: readonly (string | null)[]): string {
  const out = new Array<string>(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i] ?? null;
    out[i] = v === null ? 'NULL' : `"${/["\\]/.test(v) ? v.replace(/["\\]/g, '\\$&') : v}"`;
  }
  return `{${out.join(',')}}`;
}

/** A text value in COPY's text format (a null is \\N). */
function copyText(v: string | null): string {
  if (v === null) return '\\N';
  return /[\\\t\n\r]/.test(v)
    ? v.replace(/[\\\t\n\r]/g, (c) => ({ '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' })[c]!)
    : v;
}

/** The rows as COPY text. */
function copyLines(cols: StagedColumns): string {
  const lines = new Array<string>(cols.key.length);
  for (let i = 0; i < cols.key.length; i++)
    lines[i] =
      `${cols.n[i]}\t${copyText(cols.key[i]!)}\t${cols.time[i]}\t${cols.category[i]}\t` +
      `${copyText(cols.subcategory[i]!)}\t${cols.status[i]}\t${copyText(cols.address[i] ?? null)}\t` +
      `${cols.community[i]}\t${cols.lon[i]}\t${cols.lat[i]}\t${cols.month[i]}\t${cols.z[i]}\n`;
  return lines.join('');
}

/** The rows as the parameters of one INSERT (the embedded database, which has no COPY). */
function insertParams(cols: StagedColumns): string[] {
  return [
    numberArray(cols.n),
    textArray(cols.key),
    numberArray(cols.time),
    textArray(cols.category),
    textArray(cols.subcategory),
    textArray(cols.status),
    textArray(cols.address),
    numberArray(cols.community),
    numberArray(cols.lon),
    numberArray(cols.lat),
    numberArray(cols.month),
    numberArray(cols.z),
  ];
}

export interface MergeResult {
  /** rows staged */
  staged: number;
  added: number;
  changed: number;
  /** the partitions written */
  months: string[];
}

export interface IncidentWriter {
  /**
   * Stages a batch's rows (they are the writer's now); resolves once memory allows more: the
   * writes run behind, at most AHEAD_MAX rows. Throws what a write before it met.
   */
  add(cols: StagedColumns): Promise<void>;
  /** No more rows: writes what is left and answers the counts. */
  finish(): Promise<MergeResult>;
  /** Gives up: lets the write in flight end and the COPY go (the caller rolls back). */
  abort(): Promise<void>;
}

/** A temporary table of staged rows: those read between two writes of months. */
interface Segment {
  table: string;
  /** the rows of each month not written yet */
  months: Map<number, number>;
  copy: CopyIn | null;
}

/** Opens the writer of an import keyed under `source`, in the transaction `tx`. */
export async function openIncidentWriter(
  tx: Queryable,
  source: string,
  pace: WritePace,
): Promise<IncidentWriter> {
  const [start] = await tx.query<{ keyed: boolean }>(
    'SELECT EXISTS (SELECT 1 FROM incident_keys WHERE source = $1) AS keyed',
    [source],
  );
  /** whether keys of the source are stored: then rows are looked up before they are written */
  const keyed = Boolean(start?.keyed);
  let partitionsLocked = false;
  const result: MergeResult = { staged: 0, added: 0, changed: 0, months: [] };
  const written = new Set<number>();

  // what the reading knows: the months' rows and where they were last met
  const months = new Map<number, { rows: number; pending: number; last: number }>();
  const segments: Segment[] = [];
  let current: Segment | null = null;

  // the database's work, in order, behind the reading
  let lane: Promise<void> = Promise.resolve();
  let failure: { err: unknown } | null = null;
  const ahead: Array<{ done: Promise<void>; rows: number }> = [];
  let aheadRows = 0;
  const enqueue = (rows: number, op: () => Promise<void>) => {
    const done = lane.then(async () => {
      if (failure) return;
      try {
        await op();
      } catch (err) {
        failure = { err };
      }
    });
    lane = done;
    ahead.push({ done, rows });
    aheadRows += rows;
  };

  const openSegment = async (seg: Segment) => {
    await tx.query(
      `CREATE TEMP TABLE ${seg.table} (n int NOT NULL, k text NOT NULL, t float8 NOT NULL,
         c text NOT NULL, s text NOT NULL, st text NOT NULL, a text, cm int NOT NULL,
         x float8 NOT NULL, y float8 NOT NULL, m int NOT NULL, z int NOT NULL) ON COMMIT DROP`,
    );
    seg.copy = tx.copyFrom?.(`COPY ${seg.table} (${STAGED_COLUMNS}) FROM STDIN`) ?? null;
  };
  const endSegment = async (seg: Segment) => {
    const copy = seg.copy;
    seg.copy = null;
    await copy?.end();
  };

  const count = async (text: string, params: unknown[]) =>
    Number((await tx.query<{ n: number }>(text, params))[0]?.n ?? 0);

  /** Writes month `m`'s rows staged in `tables`; answers the incidents added and changed. */
  const writeMonth = async (m: number, tables: string[], lookUp: boolean) => {
    const p = monthPartition(m);
    const src = tables.map((t) => `SELECT * FROM ${t} WHERE m = ${m}`).join(' UNION ALL ');
    let fresh = `SELECT * FROM (${src}) r WHERE ${NOT_CANCELLED}`;
    if (lookUp) {
      // the rows with their stored incident where they have one
      await tx.query(
        `CREATE TEMP TABLE import_month ON COMMIT DROP AS
         SELECT r.*, k.incident_id AS id, k.time AS kt
         FROM (${src}) r LEFT JOIN incident_keys k ON k.source = $1 AND k.source_id = r.k
         WHERE ${NOT_CANCELLED}`,
        [source],
      );
      fresh = 'SELECT * FROM import_month WHERE id IS NULL';
    }
    let added: number;
    let changed = 0;
    const held = async () =>
      Boolean(
        (await tx.query<{ e: boolean }>('SELECT to_regclass($1) IS NOT NULL AS e', [p.name]))[0]?.e,
      );
    let exists = await held();
    if (!exists && !partitionsLocked) {
      // partitions are made under this lock (migration 0015), held to the commit
      await tx.query('SELECT pg_advisory_xact_lock($1)', [PARTITION_LOCK]);
      partitionsLocked = true;
      exists = await held();
    }
    if (exists) {
      // rows added to a month that holds rows go in time order (the cheaper for its indexes)
      added = await count(
        `WITH ins AS (
           INSERT INTO incidents (${INCIDENT_COLUMNS})
           SELECT ${STAGED_VALUES} FROM (${fresh}) r ORDER BY r.t
           RETURNING id, source_id, time),
         k AS (INSERT INTO incident_keys (source, source_id, incident_id, time)
               SELECT $1, source_id, id, time FROM ins)
         SELECT count(*)::int AS n FROM ins`,
        [source],
      );
    } else {
      // a plain identifier (incidents_pYYYY_MM), written as it is
      const name = p.name;
      await tx.query(
        `CREATE TABLE ${name} (LIKE incidents INCLUDING DEFAULTS INCLUDING CONSTRAINTS,
           CONSTRAINT ${name}_bound CHECK (time >= '${p.lo}' AND time < '${p.hi}'))`,
      );
      added = await count(
        `WITH ins AS (
           INSERT INTO ${name} (id, ${INCIDENT_COLUMNS})
           SELECT nextval('incidents_id_seq'), ${STAGED_VALUES} FROM (${fresh}) r ORDER BY r.z
           RETURNING 1)
         SELECT count(*)::int AS n FROM ins`,
        [source],
      );
      await tx.query(
        `INSERT INTO incident_keys (source, source_id, incident_id, time)
         SELECT $1, source_id, id, time FROM ${name} ORDER BY source_id`,
        [source],
      );
      // the bound's CHECK spares the attachment a scan; the indexes are built here, in one go
      await tx.query(
        `ALTER TABLE incidents ATTACH PARTITION ${name} FOR VALUES FROM ('${p.lo}') TO ('${p.hi}')`,
      );
      await tx.query(`ALTER TABLE ${name} DROP CONSTRAINT ${name}_bound`);
    }
    if (lookUp) {
      changed = await applyStaged(tx, source);
      await tx.query('DROP TABLE import_month');
    }
    return { added, changed };
  };

  /** Writes months `ms`, each from the segments holding rows of it. */
  const writeMonths = async (plan: Array<{ m: number; tables: string[] }>) => {
    for (const { m, tables } of plan) {
      await tx.query('SAVEPOINT import_month');
      let done: { added: number; changed: number };
      try {
        done = await writeMonth(m, tables, keyed);
      } catch (err) {
        // a key of the source stored meanwhile by another writer (a feed of that name): the
        // month again, its rows looked up
        if (keyed || !(err instanceof QueryError && err.code === '23505')) throw err;
        await tx.query('ROLLBACK TO SAVEPOINT import_month');
        done = await writeMonth(m, tables, true);
      }
      await tx.query('RELEASE SAVEPOINT import_month');
      result.added += done.added;
      result.changed += done.changed;
      written.add(m);
    }
  };

  /** Queues the writing of months `ms`: the rows read after it go to a new segment. */
  const write = (ms: number[]) => {
    const seg = current;
    current = null;
    const plan = ms.map((m) => {
      const tables: string[] = [];
      for (const s of segments) if (s.months.delete(m)) tables.push(s.table);
      months.get(m)!.pending = 0;
      return { m, tables };
    });
    enqueue(0, async () => {
      if (seg) await endSegment(seg);
      await writeMonths(plan);
    });
  };

  const rethrow = () => {
    if (failure) throw failure.err;
  };

  return {
    async add(cols) {
      rethrow();
      const rows = cols.key.length;
      if (!rows) return;
      if (!current) {
        const seg: Segment = {
          table: `import_incident_rows_${segments.length + 1}`,
          months: new Map(),
          copy: null,
        };
        segments.push(seg);
        current = seg;
        enqueue(0, () => openSegment(seg));
      }
      const seg = current;
      for (let i = 0; i < rows; i++) {
        const m = cols.month[i]!;
        let month = months.get(m);
        if (!month) months.set(m, (month = { rows: 0, pending: 0, last: 0 }));
        if (++month.rows > MONTH_ROWS_MAX)
          throw codedBadInput(
            undefined,
            importReason('month_rows_over', {
              max: MONTH_ROWS_MAX,
              month: monthPartition(m).name.slice(11).replace('_', '-'),
            }),
          );
        month.pending++;
        month.last = result.staged + i;
        seg.months.set(m, (seg.months.get(m) ?? 0) + 1);
      }
      result.staged += rows;
      // made here, while the database writes what came before
      const text = tx.copyFrom ? copyLines(cols) : null;
      const params = text === null ? insertParams(cols) : null;
      enqueue(rows, async () => {
        if (text !== null) await seg.copy!.write(text);
        else
          await tx.query(
            `INSERT INTO ${seg.table} (${STAGED_COLUMNS})
             SELECT * FROM unnest($1::int[], $2::text[], $3::float8[], $4::text[], $5::text[],
                                  $6::text[], $7::text[], $8::int[], $9::float8[], $10::float8[],
                                  $11::int[], $12::int[])`,
            params!,
          );
      });
      // the months the file has moved past are written while the next rows are read
      const done = [...months]
        .filter(([, v]) => v.pending > 0 && v.last < result.staged - pace.monthDoneAfter)
        .map(([m]) => m);
      if (done.reduce((sum, m) => sum + months.get(m)!.pending, 0) >= pace.writeMinRows)
        write(done.sort((a, b) => a - b));
      while (aheadRows > AHEAD_MAX) {
        const first = ahead.shift()!;
        await first.done;
        aheadRows -= first.rows;
      }
      rethrow();
    },

    async finish() {
      rethrow();
      const rest = [...months]
        .filter(([, v]) => v.pending > 0)
        .map(([m]) => m)
        .sort((a, b) => a - b);
      if (rest.length) write(rest);
      await lane;
      rethrow();
      result.months = [...written].sort((a, b) => a - b).map((m) => monthPartition(m).name);
      return result;
    },

    async abort() {
      failure ??= { err: new Error('the import was given up') };
      await lane;
      for (const s of segments) await s.copy?.abort();
    },
  };
}

/**
 * Applies the staged rows of stored keys (import_month: the staged columns, the incident's id
 * and time) where anything differs; answers how many incidents changed.
 */
async function applyStaged(tx: Queryable, source: string): Promise<number> {
  const [row] = await tx.query<{ n: number }>(
    `WITH c AS (
       UPDATE incidents t SET
         time = to_timestamp(r.t / 1000.0), category = r.c, subcategory = r.s, status = r.st,
         address = r.a, community_id = nullif(r.cm, 0), geom = ST_SetSRID(ST_MakePoint(r.x, r.y), 4326),
         outside = false
       FROM import_month r
       WHERE r.id IS NOT NULL AND t.id = r.id AND t.time = r.kt
         AND (t.time, t.category, t.subcategory, t.status, t.address, t.community_id,
              ST_AsBinary(t.geom), t.outside)
         IS DISTINCT FROM (to_timestamp(r.t / 1000.0), r.c, r.s, r.st, r.a, nullif(r.cm, 0)::smallint,
              ST_AsBinary(ST_SetSRID(ST_MakePoint(r.x, r.y), 4326)), false)
       RETURNING t.id, t.time, r.k),
     k AS (UPDATE incident_keys k SET time = c.time FROM c
           WHERE k.source = $1 AND k.source_id = c.k AND k.time <> c.time)
     SELECT count(*)::int AS n FROM c`,
    [source],
  );
  return Number(row?.n ?? 0);
}
