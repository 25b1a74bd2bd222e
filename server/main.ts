/** Starts the dashboard: database (embedded by default), API and client on one port. */
import { buildApp } from './app';
import { loadCategoryTable } from './services/ingest';
import { basemapOf } from './basemap';
import { publicOrigins, readEnv } from './env';
import { anchorFile } from './audit/anchor';
import { configureCompute } from './compute/pool';
import { pruneAudit } from './audit/audit';
import { authSecret, openDatabase, prepareDatabase, redact } from './db/open';
import { openReads } from './db/readReplica';

const log = (msg: string) => console.log(`[pingan] ${msg}`);

async function main() {
  const env = readEnv();
  const t0 = Date.now();
  const db = await openDatabase(env, log);
  await prepareDatabase(
    db,
    {
      demo: env.DEMO_DATA === 'on',
      seed: env.DEMO_SEED,
      anchor: env.DEMO_ANCHOR,
      demoPassword: env.PINGAN_DEMO_PASSWORD,
    },
    log,
  );
  await configureCompute({
    deadlineMs: env.COMPUTE_DEADLINE_S * 1000,
    maxThreads: env.COMPUTE_THREADS,
    maxMemoryMb: env.COMPUTE_MEMORY_MB,
  });
  const basemap = basemapOf(env);
  if (basemap.kind !== 'none') log(`basemap: ${basemap.kind} (${basemap.crs})`);
  if (env.READ_DATABASE_URL && db.kind !== 'server')
    log('READ_DATABASE_URL is ignored: it is a replica of DATABASE_URL, which is not set');
  else if (env.READ_DATABASE_URL)
    log(`heavy reads: the replica at ${redact(env.READ_DATABASE_URL)}`);
  const reads = openReads(db, env.READ_DATABASE_URL, { maxLagMs: env.READ_MAX_LAG_S * 1000, log });
  const app = await buildApp({
    db,
    reads,
    logLevel: env.LOG_LEVEL,
    basemap,
    ranking: { weights: env.RANKING_WEIGHTS, listSize: env.RANKING_LIST_SIZE },
    limits: { login: env.RATE_LIMIT_LOGIN, api: env.RATE_LIMIT_API },
    // unset: the listen address (with PORT=0, the port bound, known once listening)
    publicOrigins:
      env.PUBLIC_ORIGIN ?? (env.PORT ? publicOrigins(undefined, env.HOST, env.PORT) : undefined),
    trustProxy:
      env.TRUST_PROXY === undefined
        ? false
        : env.TRUST_PROXY === 'true'
          ? true
          : /^\d+$/.test(env.TRUST_PROXY)
            ? (Number(env.TRUST_PROXY) as unknown as string)
            : env.TRUST_PROXY,
    auth: {
      secret: await authSecret(db, env.AUTH_SECRET),
      secure: env.TLS === 'on',
      idleMinutes: env.SESSION_IDLE_MINUTES,
      absoluteHours: env.SESSION_ABSOLUTE_HOURS,
      passwordMaxAgeDays: env.PASSWORD_MAX_AGE_DAYS,
      passwordComplexity: env.PASSWORD_COMPLEXITY === 'on',
    },
    pmtilesFile: env.BASEMAP_PMTILES,
    auditAnchor: { file: anchorFile(env), everyMinutes: env.AUDIT_ANCHOR_MINUTES },
    ingestCategories: loadCategoryTable(env.INGEST_CATEGORY_MAP),
    liveDemo: (env.DEMO_LIVE ?? env.DEMO_DATA) === 'on' ? { rate: env.DEMO_LIVE_RATE } : undefined,
  });
  // the audit trail keeps AUDIT_RETENTION_DAYS; older rows go at start and then daily
  const prune = () =>
    pruneAudit(db, env.AUDIT_RETENTION_DAYS).then(
      (n) => n && log(`audit trail: ${n} rows older than ${env.AUDIT_RETENTION_DAYS} days removed`),
      (err: unknown) => console.error('[pingan] audit pruning failed', err),
    );
  await prune();
  setInterval(() => void prune(), 86_400_000).unref();
  await app.listen({ port: env.PORT, host: env.HOST });
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : env.PORT;
  log(`ready in ${((Date.now() - t0) / 1000).toFixed(1)} s: http://${env.HOST}:${port}/`);
  log(
    `changes accepted from ${publicOrigins(env.PUBLIC_ORIGIN, env.HOST, port).join(', ')}` +
      (env.PUBLIC_ORIGIN ? '' : ' (set PUBLIC_ORIGIN for any other address browsers use)'),
  );

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: shutting down`);
    await app.close();
    await reads.close();
    await db.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((err: unknown) => {
  console.error(`[pingan] failed to start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
