/**
 * Each test file gets its own database: a copy of the seeded embedded data directory, or a clone
 * of the seeded template database on the real server. Which one is set by the vitest project.
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { inject } from 'vitest';
import { openEmbedded, openServer, type Database } from '../../server/db/database';
import { adminQuery, databaseUrl } from './serverAdmin';

export type Backend = 'embedded' | 'server';

export function backend(): Backend {
  const b = process.env.TEST_DB;
  if (b !== 'embedded' && b !== 'server')
    throw new Error(`TEST_DB must be embedded or server, got ${b}`);
  return b;
}

export interface TestDatabase {
  db: Database;
  backend: Backend;
  /** the server database's URL (server backend only) */
  url?: string;
  dispose(): Promise<void>;
}

export async function openTestDatabase(): Promise<TestDatabase> {
  if (backend() === 'embedded') {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'pingan-test-'));
    cpSync(inject('embeddedTemplate'), dir, { recursive: true });
    const db = await openEmbedded(dir);
    return {
      db,
      backend: 'embedded',
      dispose: async () => {
        await db.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const name = `pingan_t_${process.pid}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 7)}`;
  await adminQuery(`CREATE DATABASE ${name} TEMPLATE ${inject('serverTemplate')}`);
  const url = databaseUrl(name);
  const db = openServer(url, () => {});
  return {
    db,
    backend: 'server',
    url,
    dispose: async () => {
      await db.close();
      await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}
