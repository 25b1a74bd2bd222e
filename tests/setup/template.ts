/**
 * The seeded test database is built once per run (and reused across runs while the schema, the
 * seeder and the generator are unchanged); each test file then works on its own copy.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const TEST_SEED = 'chengbei';
export const TEST_ANCHOR = '2026-06-30';
/** the demo accounts' password in test databases */
export const TEST_PASSWORD = 'test-only-passphrase-2026';

function files(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const p = path.join(dir, name);
      return statSync(p).isDirectory() ? files(p) : [p];
    });
}

/** A hash of everything that shapes the seeded database. */
export function templateKey(): string {
  const h = createHash('sha256');
  for (const p of [
    ...files(path.join(ROOT, 'server/db/migrations')),
    ...files(path.join(ROOT, 'server/demo')),
    ...files(path.join(ROOT, 'geo')),
    ...files(path.join(ROOT, 'server/dataset')),
    path.join(ROOT, 'server/db/open.ts'),
    path.join(ROOT, 'server/auth/accounts.ts'),
  ]) {
    h.update(path.relative(ROOT, p));
    h.update(readFileSync(p));
  }
  h.update(`${TEST_SEED}|${TEST_ANCHOR}|${TEST_PASSWORD}`);
  return h.digest('hex').slice(0, 12);
}

declare module 'vitest' {
  export interface ProvidedContext {
    embeddedTemplate: string;
    serverTemplate: string;
  }
}
