/** Builds the migrated, seeded embedded database once; test files copy its data directory. */
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { openEmbedded } from '../../server/db/database';
import { prepareDatabase } from '../../server/db/open';
import { ROOT, TEST_ANCHOR, TEST_PASSWORD, TEST_SEED, templateKey } from './template';

export default async function setup(project: TestProject) {
  const dir = path.join(ROOT, '.cache/test-db', `embedded-${templateKey()}`);
  if (!existsSync(path.join(dir, 'PG_VERSION'))) {
    const building = `${dir}.building-${process.pid}`;
    rmSync(building, { recursive: true, force: true });
    mkdirSync(building, { recursive: true });
    const log = (m: string) => console.log(`[test db] ${m}`);
    const db = await openEmbedded(building);
    await prepareDatabase(
      db,
      { demo: true, seed: TEST_SEED, anchor: TEST_ANCHOR, demoPassword: TEST_PASSWORD },
      log,
    );
    await db.close();
    rmSync(dir, { recursive: true, force: true });
    renameSync(building, dir);
  }
  // templates of earlier schemas or generators are of no more use
  for (const old of readdirSync(path.dirname(dir)))
    if (
      old.startsWith('embedded-') &&
      path.join(path.dirname(dir), old) !== dir &&
      !old.includes('.building-')
    )
      rmSync(path.join(path.dirname(dir), old), { recursive: true, force: true });
  project.provide('embeddedTemplate', dir);
}
