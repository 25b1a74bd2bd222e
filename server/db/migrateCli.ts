/** `npm run db:migrate`: brings the configured database's schema up to date, nothing else. */
import { readEnv } from '../env';
import { openDatabase } from './open';
import { migrate } from './migrate';

const log = (msg: string) => console.log(`[db:migrate] ${msg}`);
const env = readEnv();
const db = await openDatabase(env, log);
try {
  const n = await migrate(db, log);
  if (n === 0) log('schema is up to date');
} finally {
  await db.close();
}
