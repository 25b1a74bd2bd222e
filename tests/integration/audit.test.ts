/**
 * The audit trail on the real database (embedded and server): rows carry every field, the hash
 * chain verifies, the application cannot change or remove rows, tampering behind the triggers is
 * caught and located, concurrent writers keep one chain, pruning keeps the chain verifiable, the
 * listing filters and pages; rows stay small whatever they are given; refusals before any
 * handler (bad sign-in input, the Arrow route) are recorded; anchors of the chain's head catch
 * the newest rows removed; no change is accepted while the trail cannot be written (the
 * `audit:verify` command: tests/server-only).
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync, appendFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Fastify from 'fastify';
import { readFileSync } from 'node:fs';
import {
  anchorProblem,
  appendAnchor,
  currentAnchor,
  lastAnchor,
  scheduleAuditAnchors,
  type AuditAnchor,
} from '../../server/audit/anchor';
import {
  AUDIT_DETAIL_MAX_BYTES,
  auditHash,
  formatAuditTime,
  listAudit,
  pruneAudit,
  recordAudit,
  verifyAudit,
  type AuditRow,
  type ChainRow,
} from '../../server/audit/audit';
import type { Database, Queryable } from '../../server/db/database';
import { AUDIT_UNAVAILABLE } from '../../server/trpc';
import { startTestServer, type TestServer } from '../setup/testServer';

let t: TestServer;
let db: Database;

beforeAll(async () => {
  t = await startTestServer();
  db = t.db;
});
afterAll(async () => {
  await t?.close();
});

class Rollback extends Error {}

/** Runs `fn` in a transaction that is always rolled back. */
async function rolledBack(fn: (tx: Queryable) => Promise<void>) {
  await db
    .transaction(async (tx) => {
      await fn(tx);
      throw new Rollback();
    })
    .catch((err: unknown) => {
      if (!(err instanceof Rollback)) throw err;
    });
}

/** Runs `fn` with the audit triggers off, as a superuser bypassing the application would. */
async function behindTriggers(tx: Queryable, fn: () => Promise<void>) {
  await tx.query('ALTER TABLE audit_log DISABLE TRIGGER USER');
  await tx.query('ALTER TABLE audit_chain DISABLE TRIGGER USER');
  await fn();
  await tx.query('ALTER TABLE audit_log ENABLE TRIGGER USER');
  await tx.query('ALTER TABLE audit_chain ENABLE TRIGGER USER');
}

/** The error a promise rejects with. */
async function failure(p: Promise<unknown>): Promise<Error & { code?: string }> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(Error);
  return err as Error & { code?: string };
}

async function rawRow(q: Queryable, id: number) {
  const [r] = await q.query(
    `SELECT id::text AS id, at::text AS at, user_id, username, role, action, object, outcome, ip,
            detail::text AS detail, prev_hash, hash
       FROM audit_log WHERE id = $1`,
    [id],
  );
  return r;
}

const count = async (q: Queryable = db) =>
  (await q.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_log'))[0]!.n;

/** Microseconds between two canonical times. */
const microsBetween = (a: string, b: string) => {
  const us = (s: string) =>
    BigInt(Date.parse(s.slice(0, 19) + 'Z')) * 1000n + BigInt(s.slice(20, 26));
  return us(b) - us(a);
};

describe('recording', () => {
  it('stores every field, with the database time and a chained hash', async () => {
    const [{ before }] = (await db.query<{ before: string }>(
      `SELECT to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS before`,
    )) as [{ before: string }];
    const detail = {
      before: { name: '朝阳巡区', units: 3 },
      after: { name: '朝阳巡区 | 东', units: 4 },
    };
    const id = await recordAudit(db, {
      userId: 'u_7f3a',
      username: 'wangwei',
      role: 'planner',
      action: 'zones.update',
      object: 'zone:12',
      outcome: 'ok',
      ip: '203.0.113.7',
      detail,
    });
    const anon = await recordAudit(db, {
      action: 'auth.login',
      outcome: 'failed',
      ip: '::1',
      detail: { reason: 'bad password', attempted: 'nobody' },
    });
    expect(anon).toBeGreaterThan(id);

    const { items } = await listAudit(db, { limit: 2 });
    const [a, b] = [items[1]!, items[0]!];
    expect(a).toMatchObject({
      id,
      userId: 'u_7f3a',
      username: 'wangwei',
      role: 'planner',
      action: 'zones.update',
      object: 'zone:12',
      outcome: 'ok',
      ip: '203.0.113.7',
      detail,
    } satisfies Partial<AuditRow>);
    expect(b).toMatchObject({
      id: anon,
      userId: null,
      username: null,
      role: null,
      action: 'auth.login',
      object: null,
      outcome: 'failed',
      ip: '::1',
      detail: { reason: 'bad password', attempted: 'nobody' },
    });
    // UTC with microseconds, from the database's clock, in order
    expect(a.at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    expect(microsBetween(before, a.at)).toBeGreaterThanOrEqual(0n);
    expect(microsBetween(a.at, b.at)).toBeGreaterThanOrEqual(0n);
    expect(microsBetween(before, b.at)).toBeLessThan(60_000_000n);

    const [ra, rb] = [await rawRow(db, id), await rawRow(db, anon)];
    expect(ra!.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(rb!.prev_hash).toBe(ra!.hash);
    expect(b.hash).toBe(rb!.hash);
  });

  it('sets the time and hashes itself, whatever the caller sends', async () => {
    const [r] = await db.query<{ id: string; at: string; prev_hash: string; hash: string }>(
      `INSERT INTO audit_log (at, action, outcome, prev_hash, hash)
       VALUES ('2001-01-01Z', 'test.forged', 'ok', repeat('a', 64), repeat('b', 64))
       RETURNING id::text AS id, at::text AS at, prev_hash, hash`,
    );
    expect(r!.at.startsWith('2001')).toBe(false);
    expect(r!.prev_hash).not.toBe('a'.repeat(64));
    expect(r!.hash).not.toBe('b'.repeat(64));
    expect((await verifyAudit(db)).ok).toBe(true);
  });

  it('refuses an unknown outcome or a malformed action', async () => {
    const n = await count();
    await failure(recordAudit(db, { action: 'zones.update', outcome: 'maybe' as 'ok' }));
    await failure(recordAudit(db, { action: 'Zones update', outcome: 'ok' }));
    expect(await count()).toBe(n);
    expect((await verifyAudit(db)).ok).toBe(true);
  });

  it('hashes the same canonical text in SQL as in TypeScript, for awkward values', async () => {
    const awkward = [
      { username: null, object: null, detail: null },
      { username: '-', object: '', detail: '"-"' },
      { username: '1:-', object: '|-|', detail: '{"a": "|"}' },
      { username: '平安 🚓', object: 'zone:12|3:abc', detail: '[1.50, null, "\\u00e9x"]' },
    ];
    for (const a of awkward) {
      const [r] = await db.query<{ h: string; at_us: string; detail: string | null }>(
        `SELECT audit_hash(repeat('c', 64), 42, t, 'u1', $1, 'admin', 'zones.update', $2, 'ok',
                           '10.0.0.1', $3::jsonb) AS h,
                (extract(epoch FROM t) * 1000000)::bigint::text AS at_us,
                $3::jsonb::text AS detail
           FROM (SELECT '2026-06-30 08:15:00.000123+08'::timestamptz AS t) x`,
        [a.username, a.object, a.detail],
      );
      const at = formatAuditTime(BigInt(r!.at_us));
      expect(at).toBe('2026-06-30T00:15:00.000123Z');
      expect(r!.h).toBe(
        auditHash('c'.repeat(64), {
          id: 42,
          at,
          userId: 'u1',
          username: a.username,
          role: 'admin',
          action: 'zones.update',
          object: a.object,
          outcome: 'ok',
          ip: '10.0.0.1',
          detail: r!.detail,
        }),
      );
    }
    // a null and its marker, and the empty string, hash differently
    const hashes = await db.query<{ h: string }>(
      `SELECT audit_hash(repeat('0', 64), 1, '2026-01-01Z', NULL, v, NULL, 'a.b', NULL, 'ok', NULL, NULL) AS h
         FROM unnest(ARRAY[NULL, '-', '']) v`,
    );
    expect(new Set(hashes.map((h) => h.h)).size).toBe(3);
  });
});

describe('append-only', () => {
  it('refuses UPDATE, DELETE and TRUNCATE by the application, changing nothing', async () => {
    const id = await recordAudit(db, {
      username: 'liuqiang',
      role: 'admin',
      action: 'cameras.delete',
      object: 'camera:99',
      outcome: 'ok',
    });
    const before = await rawRow(db, id);
    const n = await count();

    for (const stmt of [
      `UPDATE audit_log SET outcome = 'denied' WHERE id = ${id}`,
      `UPDATE audit_log SET detail = '{}'`,
      `DELETE FROM audit_log WHERE id = ${id}`,
      'DELETE FROM audit_log',
      'TRUNCATE audit_log',
      `UPDATE audit_chain SET head_hash = repeat('0', 64)`,
      'DELETE FROM audit_chain',
      'TRUNCATE audit_chain',
    ]) {
      const err = await failure(db.query(stmt));
      expect(err.code, stmt).toBe('42501');
      expect(err.message, stmt).toMatch(
        /audit_(log is append-only|chain is kept by the audit_log triggers)/,
      );
    }
    expect((await failure(db.query('UPDATE audit_log SET role = NULL'))).message).toBe(
      'audit_log is append-only: UPDATE is not allowed',
    );
    expect((await failure(db.query('TRUNCATE audit_log'))).message).toBe(
      'audit_log is append-only: TRUNCATE is not allowed',
    );

    expect(await rawRow(db, id)).toEqual(before);
    expect(await count()).toBe(n);
    expect((await verifyAudit(db)).ok).toBe(true);
  });

  it('does not let a hand-set prune cutoff delete recent rows', async () => {
    const n = await count();
    const err = await failure(
      db.transaction(async (tx) => {
        await tx.query(`SELECT set_config('audit.prune_before', '2100-01-01T00:00:00Z', true)`);
        await tx.query('DELETE FROM audit_log');
      }),
    );
    expect(err.code).toBe('42501');
    expect(err.message).toMatch(/within the retention and cannot be deleted/);
    expect(await count()).toBe(n);
  });
});

describe('verification', () => {
  it('verifies an intact chain', async () => {
    const v = await verifyAudit(db);
    expect(v).toMatchObject({ ok: true, rows: await count(), anchor: { id: 0 } });
    expect(v.firstBad).toBeUndefined();
    const [last] = await db.query<{ id: string; hash: string }>(
      'SELECT id::text AS id, hash FROM audit_log ORDER BY audit_log.id DESC LIMIT 1',
    );
    expect(v.head).toEqual({ id: Number(last!.id), hash: last!.hash });
  });

  it('names the row edited behind the triggers', async () => {
    const ids: number[] = [];
    for (const n of ['alpha', 'beta', 'gamma'])
      ids.push(
        await recordAudit(db, {
          username: `tamper-${n}`,
          action: 'incidents.update',
          outcome: 'ok',
        }),
      );
    const middle = ids[1]!;
    await rolledBack(async (tx) => {
      await behindTriggers(tx, async () => {
        await tx.query(`UPDATE audit_log SET outcome = 'denied' WHERE id = $1`, [middle]);
      });
      expect(await verifyAudit(tx)).toMatchObject({
        ok: false,
        firstBad: { id: middle, reason: 'hash does not match its contents' },
      });
    });
    // the detail, the time and the user count as much as the outcome
    for (const edit of [
      `detail = '{"x": 1}'`,
      `at = at + interval '1 microsecond'`,
      `username = 'someone-else'`,
      `user_id = ''`,
    ])
      await rolledBack(async (tx) => {
        await behindTriggers(tx, async () => {
          await tx.query(`UPDATE audit_log SET ${edit} WHERE id = $1`, [middle]);
        });
        expect((await verifyAudit(tx)).firstBad, edit).toEqual({
          id: middle,
          reason: 'hash does not match its contents',
        });
      });
    // rehashing the edited row does not help: the next row no longer links to it
    await rolledBack(async (tx) => {
      await behindTriggers(tx, async () => {
        await tx.query(
          `UPDATE audit_log SET outcome = 'denied',
             hash = audit_hash(prev_hash, id, at, user_id, username, role, action, object, 'denied', ip, detail)
           WHERE id = $1`,
          [middle],
        );
      });
      expect((await verifyAudit(tx)).firstBad).toEqual({
        id: ids[2],
        reason: 'its prev_hash is not the hash of the row before it: a row was removed or altered',
      });
    });
    // nor does removing a row, or the newest rows
    await rolledBack(async (tx) => {
      await behindTriggers(tx, async () => {
        await tx.query('DELETE FROM audit_log WHERE id = $1', [middle]);
      });
      expect((await verifyAudit(tx)).firstBad?.id).toBe(ids[2]);
    });
    await rolledBack(async (tx) => {
      await behindTriggers(tx, async () => {
        await tx.query('DELETE FROM audit_log WHERE id >= $1', [middle]);
      });
      expect((await verifyAudit(tx)).firstBad).toEqual({
        id: ids[2],
        reason: `the chain head is row ${ids[2]}, but the chain ends at row ${ids[0]}: the newest rows were removed`,
      });
    });
    // nor adding one around the triggers, even well hashed
    await rolledBack(async (tx) => {
      await behindTriggers(tx, async () => {
        await tx.query(
          `INSERT INTO audit_log (action, outcome, prev_hash, hash)
           SELECT 'auth.logout', 'ok', head_hash, repeat('0', 64) FROM audit_chain`,
        );
        await tx.query(
          `UPDATE audit_log SET hash = audit_hash(prev_hash, id, at, user_id, username, role,
             action, object, outcome, ip, detail) WHERE id = (SELECT max(id) FROM audit_log)`,
        );
      });
      const v = await verifyAudit(tx);
      expect(v.ok).toBe(false);
      expect(v.firstBad?.reason).toMatch(/follows the chain head .*added around the triggers/);
    });
    expect((await verifyAudit(db)).ok).toBe(true);
  });
});

describe('concurrency', () => {
  it('keeps one chain under 20 concurrent writers', async () => {
    const n = await count();
    const ids = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        recordAudit(db, {
          username: `writer-${i}`,
          action: 'incidents.create',
          object: `incident:${1000 + i}`,
          outcome: 'ok',
        }),
      ),
    );
    expect(new Set(ids).size).toBe(20);
    expect(await count()).toBe(n + 20);
    const v = await verifyAudit(db);
    expect(v).toMatchObject({ ok: true, rows: n + 20 });
    // one chain: every prev_hash is used exactly once
    const [{ forks }] = (await db.query<{ forks: number }>(
      'SELECT count(*)::int - count(DISTINCT prev_hash)::int AS forks FROM audit_log',
    )) as [{ forks: number }];
    expect(forks).toBe(0);
  });

  it('chains a writer that waited on another transaction after all of its rows', async () => {
    let waiting: Promise<number> | undefined;
    const inTx: number[] = [];
    await db.transaction(async (tx) => {
      inTx.push(await recordAudit(tx, { action: 'zones.create', outcome: 'ok' }));
      // on the server this writer draws its id only once the transaction has committed
      waiting = recordAudit(db, { action: 'zones.delete', outcome: 'ok' });
      await new Promise((r) => setTimeout(r, 300));
      inTx.push(await recordAudit(tx, { action: 'zones.update', outcome: 'ok' }));
    });
    const late = await waiting!;
    expect(late).toBeGreaterThan(Math.max(...inTx));
    expect((await verifyAudit(db)).ok).toBe(true);
  });
});

describe('listing', () => {
  const mine = 'list-zhaomin';
  let ids: number[] = [];
  let ats: string[] = [];

  beforeAll(async () => {
    const entries = [
      { action: 'auth.login', outcome: 'ok' },
      { action: 'zones.create', outcome: 'ok', object: 'zone:40' },
      { action: 'zones.update', outcome: 'denied', object: 'zone:40' },
      { action: 'zones.update', outcome: 'ok', object: 'zone:40' },
      { action: 'cameras.update', outcome: 'error', object: 'camera:3' },
      { action: 'zones_x.update', outcome: 'ok' },
      { action: 'auth.logout', outcome: 'ok' },
    ] as const;
    ids = [];
    for (const e of entries) {
      ids.push(await recordAudit(db, { ...e, username: mine }));
      // rows a moment apart: two rows in the same microsecond would make the window test ambiguous
      await new Promise((resolve) => setTimeout(resolve, 3));
    }
    await recordAudit(db, { action: 'zones.update', outcome: 'ok', username: 'list-other' });
    ats = (await listAudit(db, { username: mine, limit: 500 })).items.map((r) => r.at).reverse();
    expect(new Set(ats).size).toBe(ats.length);
  });

  const idsOf = (rows: AuditRow[]) => rows.map((r) => r.id);

  it('lists newest first, filtered by user, action, outcome and time', async () => {
    const all = await listAudit(db, { username: mine });
    expect(idsOf(all.items)).toEqual([...ids].reverse());
    expect(all.nextCursor).toBeNull();

    const updates = await listAudit(db, { username: mine, action: 'zones.update' });
    expect(idsOf(updates.items)).toEqual([ids[3], ids[2]]);
    expect(idsOf((await listAudit(db, { action: 'zones.update' })).items)).toHaveLength(
      (await db.query(`SELECT 1 FROM audit_log WHERE action = 'zones.update'`)).length,
    );
    // a prefix: 'zones.*' is not 'zones_x.*'
    const zones = await listAudit(db, { username: mine, action: 'zones.*' });
    expect(idsOf(zones.items)).toEqual([ids[3], ids[2], ids[1]]);
    const denied = await listAudit(db, { username: mine, outcome: 'denied' });
    expect(idsOf(denied.items)).toEqual([ids[2]]);
    // from is inclusive, to exclusive, to the microsecond
    const window = await listAudit(db, { username: mine, from: ats[2], to: ats[5] });
    expect(idsOf(window.items)).toEqual([ids[4], ids[3], ids[2]]);
    const since = await listAudit(db, { username: mine, from: new Date(Date.now() + 60_000) });
    expect(since.items).toEqual([]);
    expect((await listAudit(db, { username: 'nobody-at-all' })).items).toEqual([]);
  });

  it('pages with a cursor', async () => {
    const seen: number[] = [];
    let cursor: number | undefined;
    let pages = 0;
    do {
      const page = await listAudit(db, { username: mine, limit: 3, cursor });
      expect(page.items.length).toBeLessThanOrEqual(3);
      seen.push(...idsOf(page.items));
      cursor = page.nextCursor ?? undefined;
      pages++;
    } while (cursor !== undefined);
    expect(seen).toEqual([...ids].reverse());
    expect(pages).toBe(3);
    // everything, across users, in at most 500 a page
    const first = await listAudit(db, { limit: 500 });
    expect(first.items.length).toBe(Math.min(500, await count()));
    // by number, not as text: row 10 comes before row 9
    const all = idsOf(first.items);
    expect(all).toEqual([...all].sort((a, b) => b - a));
  });

  it('refuses a page size over 500 or a bad time', async () => {
    await expect(listAudit(db, { limit: 501 })).rejects.toThrow(
      /limit must be a whole number from 1 to 500/,
    );
    await expect(listAudit(db, { limit: 0 })).rejects.toThrow(RangeError);
    await expect(listAudit(db, { from: 'yesterday-ish' })).rejects.toThrow(
      /from is not a valid time/,
    );
  });
});

describe('retention', () => {
  /** Makes the rows up to `lastId` `days` older and rehashes the whole chain, as a superuser could. */
  async function ageRows(lastId: number, days: number) {
    await db.transaction(async (tx) => {
      await behindTriggers(tx, async () => {
        await tx.query(`UPDATE audit_log SET at = at - make_interval(days => $2) WHERE id <= $1`, [
          lastId,
          days,
        ]);
        const rows = await tx.query<Omit<ChainRow, 'prev_hash' | 'hash'>>(
          `SELECT id::text AS id, (extract(epoch FROM at) * 1000000)::bigint::text AS at_us,
                  user_id, username, role, action, object, outcome, ip, detail::text AS detail
             FROM audit_log ORDER BY audit_log.id`,
        );
        const [chain] = await tx.query<{ anchor_hash: string }>(
          'SELECT anchor_hash FROM audit_chain',
        );
        let prev = chain!.anchor_hash;
        for (const r of rows) {
          const hash = auditHash(prev, {
            id: r.id,
            at: formatAuditTime(BigInt(r.at_us)),
            userId: r.user_id,
            username: r.username,
            role: r.role,
            action: r.action,
            object: r.object,
            outcome: r.outcome,
            ip: r.ip,
            detail: r.detail,
          });
          await tx.query('UPDATE audit_log SET prev_hash = $2, hash = $3 WHERE id = $1', [
            r.id,
            prev,
            hash,
          ]);
          prev = hash;
        }
        await tx.query('UPDATE audit_chain SET head_hash = $1', [prev]);
      });
    });
  }

  it('prunes only the rows older than the retention, and the chain still verifies', async () => {
    const [{ last }] = (await db.query<{ last: number }>(
      'SELECT max(id)::int AS last FROM audit_log',
    )) as [{ last: number }];
    const old = await count();
    await ageRows(last, 400);
    expect((await verifyAudit(db)).ok).toBe(true);
    const young = [
      await recordAudit(db, { action: 'auth.login', outcome: 'ok', username: 'prune-keep-1' }),
      await recordAudit(db, { action: 'auth.logout', outcome: 'ok', username: 'prune-keep-2' }),
    ];

    // 500 days keeps everything; a moment in the future counts as now
    expect(await pruneAudit(db, 500)).toBe(0);
    expect(await pruneAudit(db, 500, new Date(Date.now() + 1000 * 86400_000))).toBe(0);
    expect(await count()).toBe(old + 2);

    expect(await pruneAudit(db, 365)).toBe(old);
    const left = await db.query<{ id: number; action: string }>(
      'SELECT id::int AS id, action FROM audit_log ORDER BY id',
    );
    expect(left.map((r) => r.id).slice(0, 2)).toEqual(young);
    expect(left).toHaveLength(3);
    const [noted] = (await listAudit(db, { action: 'audit.prune' })).items;
    expect(noted).toMatchObject({ id: left[2]!.id, role: 'system', outcome: 'ok' });
    expect(noted!.detail).toMatchObject({ removed: old, retentionDays: 365, anchorId: last });

    const v = await verifyAudit(db);
    expect(v).toMatchObject({ ok: true, rows: 3, anchor: { id: last } });
    expect(await pruneAudit(db, 365)).toBe(0);

    // the pruned head cannot be cut further behind the triggers unnoticed
    await rolledBack(async (tx) => {
      await behindTriggers(tx, async () => {
        await tx.query('DELETE FROM audit_log WHERE id = $1', [young[0]]);
      });
      expect((await verifyAudit(tx)).firstBad).toEqual({
        id: young[1],
        reason: `its prev_hash is not the hash of the last pruned row ${last}: older rows were removed or altered`,
      });
    });
    // new rows chain on
    await recordAudit(db, { action: 'auth.login', outcome: 'ok' });
    expect(await verifyAudit(db)).toMatchObject({ ok: true, rows: 4 });
  });

  it('refuses a retention under 180 days', async () => {
    await expect(pruneAudit(db, 30)).rejects.toThrow(/at least 180/);
    const err = await failure(db.query('SELECT audit_prune(179)'));
    expect(err.message).toBe('the audit retention must be at least 180 days, not 179');
  });
});

describe('bounded rows', () => {
  const size = async (id: number) =>
    (
      await db.query<{ n: number }>(
        'SELECT octet_length(detail::text)::int AS n FROM audit_log WHERE id = $1',
        [id],
      )
    )[0]!.n;

  it('summarises a large detail with its size and SHA-256, keeping the small parts', async () => {
    const geometry = {
      type: 'Polygon',
      coordinates: [Array.from({ length: 20_000 }, (_, i) => [i, i])],
    };
    const id = await recordAudit(db, {
      action: 'zones.create',
      outcome: 'failed',
      username: 'x'.repeat(5000),
      object: 'zone:'.padEnd(10_000, '9'),
      detail: { error: 'e'.repeat(3_000_000), geometry, name: '巡区', version: 3 },
    });
    expect(await size(id)).toBeLessThanOrEqual(AUDIT_DETAIL_MAX_BYTES);
    const [row] = (await listAudit(db, { limit: 1 })).items;
    expect(row!.id).toBe(id);
    expect(row!.username!.length).toBeLessThanOrEqual(64);
    expect(row!.object!.length).toBeLessThanOrEqual(200);
    const detail = row!.detail as Record<
      string,
      { $summary?: { bytes: number; sha256: string; start?: string } }
    >;
    expect(detail.name).toBe('巡区');
    expect(detail.version).toBe(3);
    const json = JSON.stringify(geometry);
    expect(detail.geometry!.$summary).toEqual({
      bytes: Buffer.byteLength(json),
      sha256: createHash('sha256').update(json).digest('hex'),
    });
    expect(detail.error!.$summary).toMatchObject({ bytes: 3_000_002, start: 'e'.repeat(200) });
    // one huge value: the whole detail is summarised
    const whole = await recordAudit(db, {
      action: 'zones.update',
      outcome: 'failed',
      detail: Array.from({ length: 100_000 }, (_, i) => i),
    });
    expect(await size(whole)).toBeLessThan(300);
    expect((await verifyAudit(db)).ok).toBe(true);
  });

  it('stores what the database could not take: NUL characters and broken surrogates', async () => {
    const id = await recordAudit(db, {
      action: 'auth.login',
      outcome: 'failed',
      username: 'ad\u0000min',
      detail: { ['k\u0000']: 'v\u0000\ud800', list: ['\udc00x'] },
    });
    const [row] = (await listAudit(db, { limit: 1 })).items;
    expect(row).toMatchObject({
      id,
      username: 'ad\ufffdmin',
      detail: { ['k\ufffd']: 'v\ufffd\ufffd', list: ['\ufffdx'] },
    });
    expect((await verifyAudit(db)).ok).toBe(true);
  });

  it('keeps the row of a large failed zones.create small', async () => {
    const planner = await t.login('planner');
    // a self-crossing star of 1,000 vertices (about 23 KB), inside the district
    const n = 1001;
    const ring = Array.from({ length: n }, (_, i) => {
      const a = (2 * Math.PI * ((i * 400) % n)) / n;
      return [101.78 + 0.01 * Math.cos(a), 36.64 + 0.01 * Math.sin(a)];
    });
    ring.push(ring[0]!);
    expect(JSON.stringify(ring).length).toBeGreaterThan(20_000);
    const before = (await listAudit(db, { limit: 1 })).items[0]!.id;
    await expect(
      planner.client.zones.create.mutate({
        geometry: { type: 'Polygon', coordinates: [ring as [number, number][]] },
        name: '星形',
        unit: 'u',
        shift: 'day',
      }),
    ).rejects.toMatchObject({ data: { code: 'BAD_REQUEST' } });
    const rows = (await listAudit(db, { action: 'zones.create', outcome: 'failed' })).items.filter(
      (r) => r.id > before,
    );
    expect(rows).toHaveLength(1);
    expect(await size(rows[0]!.id)).toBeLessThanOrEqual(AUDIT_DETAIL_MAX_BYTES);
    expect(rows[0]!.username).toBe('planner');
  });
});

describe('refusals before any handler', () => {
  const newest = async (action: string) => (await listAudit(db, { action, limit: 1 })).items[0];

  it('records sign-ins refused for their input, without the password', async () => {
    const post = (body: unknown) =>
      fetch(`${t.url}/trpc/auth.login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-trpc-source': 'test', origin: t.url },
        body: JSON.stringify(body),
      });
    expect((await post({ username: 'leader', password: '' })).status).toBe(400);
    expect(await newest('auth.login')).toMatchObject({
      username: 'leader',
      outcome: 'failed',
      ip: expect.stringMatching(/127\.0\.0\.1/),
      detail: { reason: 'invalid input', fields: [{ field: 'password', message: 'is required' }] },
    });
    expect((await post({ username: 'lea\u0000der', password: 'secret-guess-1' })).status).toBe(400);
    const row = await newest('auth.login');
    expect(row).toMatchObject({
      username: 'lea\ufffdder',
      outcome: 'failed',
      detail: { reason: 'invalid input', fields: [{ field: 'username' }] },
    });
    expect(JSON.stringify(row)).not.toContain('secret-guess-1');
  });

  it('records the refusals of the Arrow route', async () => {
    const arrow = (query: string, cookie?: string) =>
      fetch(`${t.url}/api/incidents.arrow?${query}`, { headers: cookie ? { cookie } : {} });
    expect((await arrow('from=2026-06-01&to=2026-07-01')).status).toBe(401);
    expect(await newest('incidents.arrow')).toMatchObject({
      username: null,
      outcome: 'denied',
      detail: { reason: 'sign in first' },
    });
    expect((await arrow('from=2026-06-01&to=nonsense', t.cookie)).status).toBe(400);
    expect(await newest('incidents.arrow')).toMatchObject({
      username: 'leader',
      outcome: 'failed',
      detail: { reason: 'invalid query', fields: [{ field: 'to' }] },
    });
    await db.query(`UPDATE users SET layers = '["circles"]' WHERE username = 'wall'`);
    const wall = await t.login('wall');
    expect((await arrow('from=2026-06-01&to=2026-07-01', wall.cookie)).status).toBe(403);
    await db.query(`UPDATE users SET layers = NULL WHERE username = 'wall'`);
    expect(await newest('incidents.arrow')).toMatchObject({
      username: 'wall',
      role: 'display',
      outcome: 'denied',
    });
  });
});

describe('anchors of the chain head', () => {
  it('are appended to a file and read back from its end', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'pingan-anchor-'));
    try {
      const file = path.join(dir, 'sub', 'audit-anchor.jsonl');
      expect(lastAnchor(file)).toBeNull();
      const a: AuditAnchor = {
        at: '2026-06-30T00:00:00.000Z',
        headId: 7,
        headHash: 'a'.repeat(64),
        rows: 7,
        anchorId: 0,
      };
      appendAnchor(file, a);
      appendAnchor(file, { ...a, headId: 9, rows: 9 });
      expect(lastAnchor(file)).toMatchObject({ headId: 9 });
      // a damaged last line (a write cut short) is passed over
      appendFileSync(file, '{"at":"2026-07-01","headId":1');
      expect(lastAnchor(file)).toMatchObject({ headId: 9 });
      writeFileSync(file, 'not json\n');
      expect(lastAnchor(file)).toBeNull();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('catch the newest rows removed and the head moved back, which the chain alone does not', async () => {
    for (const action of ['zones.create', 'zones.update'])
      await recordAudit(db, { action, outcome: 'ok', username: 'anchor-test' });
    const keep = await recordAudit(db, { action: 'zones.delete', outcome: 'ok' });
    const [kept] = await db.query<{ hash: string }>('SELECT hash FROM audit_log WHERE id = $1', [
      keep,
    ]);
    for (const action of ['posts.create', 'posts.update'])
      await recordAudit(db, { action, outcome: 'ok', username: 'anchor-test' });
    const anchor = await currentAnchor(db);
    expect(anchor.headId).toBeGreaterThan(keep);
    expect(await anchorProblem(db, anchor)).toBeNull();
    await recordAudit(db, { action: 'posts.delete', outcome: 'ok' });
    expect(await anchorProblem(db, anchor)).toBeNull();

    // the newest rows removed and the head moved back onto the last row kept
    await rolledBack(async (tx) => {
      await behindTriggers(tx, async () => {
        await tx.query('DELETE FROM audit_log WHERE id > $1', [keep]);
        await tx.query('UPDATE audit_chain SET head_id = $1, head_hash = $2', [keep, kept!.hash]);
      });
      expect((await verifyAudit(tx)).ok).toBe(true);
      expect(await anchorProblem(tx, anchor)).toMatch(
        new RegExp(
          `chain head is row ${keep}, behind row ${anchor.headId}.*newest rows were removed`,
        ),
      );
    });
    // ... and the trail written on past them: the anchored row is gone
    await rolledBack(async (tx) => {
      await behindTriggers(tx, async () => {
        await tx.query('DELETE FROM audit_log WHERE id > $1', [keep]);
        await tx.query('UPDATE audit_chain SET head_id = $1, head_hash = $2', [keep, kept!.hash]);
      });
      for (let i = 0; i < 4; i++) await recordAudit(tx, { action: 'auth.login', outcome: 'ok' });
      expect((await verifyAudit(tx)).ok).toBe(true);
      expect(await anchorProblem(tx, anchor)).toMatch(/is gone|fewer than/);
    });
    // ... or the anchored row rewritten
    await rolledBack(async (tx) => {
      await behindTriggers(tx, async () => {
        await tx.query(`UPDATE audit_log SET hash = repeat('b', 64) WHERE id = $1`, [
          anchor.headId,
        ]);
      });
      expect(await anchorProblem(tx, anchor)).toMatch(/does not have the hash recorded/);
    });
    expect(await anchorProblem(db, anchor)).toBeNull();
  });
});

describe('anchors written by the server', () => {
  it('writes one at start, and none over a chain that no longer reaches the last one', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'pingan-anchor-'));
    const file = path.join(dir, 'audit-anchor.jsonl');
    const lines: string[] = [];
    const start = async () => {
      const app = Fastify({ logger: { stream: { write: (l: string) => void lines.push(l) } } });
      scheduleAuditAnchors(app, db, { file, everyMinutes: 60 });
      await app.ready();
      await app.close();
    };
    try {
      await start();
      const first = lastAnchor(file)!;
      expect(first).toMatchObject(await currentAnchor(db).then(({ at: _at, ...a }) => a));
      expect(lines.join('')).toContain(`audit trail head: row ${first.headId}`);
      // an anchor the chain never reached: as if its newest rows had been removed since
      appendAnchor(file, { ...first, headId: first.headId + 1000, rows: first.rows + 1000 });
      const before = readFileSync(file, 'utf8');
      await start();
      expect(readFileSync(file, 'utf8')).toBe(before);
      expect(lines.join('')).toMatch(
        /"level":50.*audit trail: the chain head is row \d+, behind row/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('fail-closed', () => {
  it('accepts no change while the trail cannot be written: 503, nothing stored', async () => {
    const planner = await t.login('planner');
    const zones = async () =>
      (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM patrol_zones'))[0]!.n;
    const before = await zones();
    const [c] = await db.query<{ x: number; y: number }>(
      `SELECT ST_X(p) AS x, ST_Y(p) AS y FROM (SELECT ST_PointOnSurface(ST_Buffer(t.geom, -0.01)) AS p
         FROM towns t WHERE t.id = $1) a`,
      [(await planner.client.auth.me.query()).areas.towns[0]],
    );
    const [x, y] = [Number(c!.x), Number(c!.y)];
    const square: [number, number][] = [
      [x, y],
      [x + 0.002, y],
      [x + 0.002, y + 0.002],
      [x, y + 0.002],
      [x, y],
    ];
    const create = () =>
      planner.client.zones.create.mutate({
        geometry: { type: 'Polygon', coordinates: [square] },
        name: '审计',
        unit: 'u',
        shift: 'day',
      });
    await db.query('ALTER TABLE audit_log RENAME TO audit_log_away');
    try {
      const err = await failure(create());
      expect(err).toMatchObject({ data: { code: 'SERVICE_UNAVAILABLE', httpStatus: 503 } });
      expect(err.message).toBe(AUDIT_UNAVAILABLE);
      // sign-in is a change too; reading goes on
      const login = await fetch(`${t.url}/trpc/auth.login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-trpc-source': 'test', origin: t.url },
        body: JSON.stringify({ username: 'leader', password: 'whatever-it-is' }),
      });
      expect(login.status).toBe(503);
      await expect(planner.client.regions.towns.query()).resolves.toBeDefined();
    } finally {
      await db.query('ALTER TABLE audit_log_away RENAME TO audit_log');
    }
    expect(await zones()).toBe(before);
    // writable again: the change is made and audited
    const made = await create();
    expect(await zones()).toBe(before + 1);
    expect((await listAudit(db, { action: 'zones.create', limit: 1 })).items[0]).toMatchObject({
      object: `zone:${made.id}`,
      outcome: 'ok',
    });
    expect((await verifyAudit(db)).ok).toBe(true);
  });
});
