/**
 * A database filled with today's demo data holds nothing later than the clock it was filled at:
 * prepareDatabase with an injected clock at 01:37 Asia/Shanghai stores incidents, disputes and
 * the data's end up to that moment only.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEmbedded, openServer, type Database } from '../../server/db/database';
import { prepareDatabase } from '../../server/db/open';
import type { DataStatus } from '../../server/dataset/status';
import { adminQuery, databaseUrl } from '../setup/serverAdmin';
import { TEST_PASSWORD } from '../setup/template';
import { backend } from '../setup/testDb';

const TODAY = '2026-12-04';
const NOW = Date.parse(`${TODAY}T01:37:00+08:00`);

let db: Database;
let meta: DataStatus;
let dispose: () => Promise<void>;

beforeAll(async () => {
  // an empty database, so that prepareDatabase generates and stores the demo data itself
  if (backend() === 'embedded') {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'pingan-now-'));
    db = await openEmbedded(dir);
    dispose = async () => {
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    };
  } else {
    const name = `pingan_now_${process.pid}_${Date.now().toString(36)}`;
    await adminQuery(`CREATE DATABASE ${name}`);
    db = openServer(databaseUrl(name), () => {});
    dispose = async () => {
      await db.close();
      await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    };
  }
  meta = await prepareDatabase(
    db,
    {
      demo: true,
      seed: 'chengbei',
      incidents: 20_000,
      demoPassword: TEST_PASSWORD,
      now: () => NOW,
    },
    () => {},
  );
});

afterAll(async () => {
  await dispose?.();
});

describe('demo data stored at 01:37 with a today anchor', () => {
  it('ends at the injected clock', () => {
    expect(meta.anchor).toBe(TODAY);
    expect(Date.parse(meta.end!)).toBe(NOW);
  });

  it('stores no incident, dispute registration or resolution later than the clock', async () => {
    const [row] = await db.query<{ n: number; inc: string; reg: string; res: string }>(
      `SELECT (SELECT count(*)::int FROM incidents) AS n,
              (SELECT (extract(epoch FROM max(time)) * 1000)::text FROM incidents) AS inc,
              (SELECT (extract(epoch FROM max(registered_at)) * 1000)::text FROM disputes) AS reg,
              (SELECT (extract(epoch FROM max(resolved_at)) * 1000)::text FROM disputes) AS res`,
    );
    expect(row!.n).toBe(20_000);
    expect(Number(row!.inc)).toBeLessThanOrEqual(NOW);
    expect(Number(row!.reg)).toBeLessThanOrEqual(NOW);
    expect(Number(row!.res)).toBeLessThanOrEqual(NOW);
    // the last incident is from the day before or the small hours of today, not later
    expect(Number(row!.inc)).toBeGreaterThan(NOW - 2 * 86_400_000);
  });
});
