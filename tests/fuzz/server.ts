/**
 * The real server in a process of its own, for the fuzzer: whatever an input does to it (runs
 * out of memory, blocks its event loop) cannot take the test run down with it, and the test can
 * kill and restart it. Started by tests/fuzz/child.ts with FUZZ_DB_KIND (embedded | server) and
 * FUZZ_DB (the data directory or the database URL); prints `READY <url>` once it listens.
 * The error log (pino, JSON lines) goes to stdout, where the test reads the causes of failures.
 */
import { buildApp } from '../../server/app';
import { DEFAULT_AUTH } from '../../server/auth/auth';
import { openEmbedded, openServer, type Database } from '../../server/db/database';

/** The same fixed secret as tests/setup/testServer.ts: sessions survive a restart. */
const SECRET = 'test-only-cookie-secret-0123456789abcdef';

async function main() {
  const kind = process.env.FUZZ_DB_KIND;
  const where = process.env.FUZZ_DB;
  if (!where || (kind !== 'embedded' && kind !== 'server'))
    throw new Error('FUZZ_DB_KIND (embedded | server) and FUZZ_DB are needed');
  const db: Database =
    kind === 'embedded' ? await openEmbedded(where) : openServer(where, () => {});
  const app = await buildApp({
    db,
    logLevel: 'error',
    clientDir: '/nonexistent',
    auth: { ...DEFAULT_AUTH, secret: SECRET },
    // the fuzzer calls far more often than people do; the real limits have their own tests
    limits: { login: 1_000_000, api: 1_000_000 },
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const addr = app.server.address();
  if (!addr || typeof addr !== 'object') throw new Error('server did not bind');
  process.stdout.write(`READY http://127.0.0.1:${addr.port}\n`);
  const stop = async () => {
    await app.close().catch(() => undefined);
    await db.close().catch(() => undefined);
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
  // the test process went away: so does this one
  process.on('disconnect', () => void stop());
}

main().catch((err: unknown) => {
  process.stderr.write(`fuzz server failed to start: ${String(err)}\n`);
  process.exit(1);
});
