/**
 * The ingest figures of `npm run bench`, through real HTTP on 127.0.0.1 against a server in a
 * process of its own (bench/ingestServer.ts), with a freshly seeded demo database:
 * - throughput: batches of 500 new records POSTed to /api/incidents/ingest one after another
 *   (records/s), then the same batches again (a replay: every record unchanged);
 * - ingest → event: 100 live.incidents streams (SSE), each with a session of its own (100 sign-ins
 *   of the leader account), in this process; one new incident POSTed at a time, and the time
 *   from the POST's start until each stream has its event (p50/p95 over every stream and round);
 * - the server's memory (RSS and V8 heap after a full collection) before and after a soak of
 *   `soakMinutes` at 20 new incidents a second (5 records a POST, every 250 ms), the 100 streams
 *   connected throughout.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { INCIDENT_CATEGORIES } from '../domain/vocabulary';
import type { NumberedIncidentEvent } from '../server/services/incidentEvents';
import { liveClientFor } from '../tests/setup/testServer';
import type { ParentMessage, ServerMessage } from './ingestServer';

export interface IngestBenchOptions {
  /** the soak's length in minutes */
  soakMinutes: number;
  /** the demo accounts' password */
  password: string;
  /** incidents in the seeded database ('demo': the generator's default) */
  seed: number | 'demo';
  /** write the server's CPU profile (node --cpu-prof) into this directory */
  cpuProfileDir?: string;
}

const BATCH = 500;
const BATCHES = 20;
const SUBSCRIBERS = 100;
const LATENCY_ROUNDS = 20;
/** the soak's feed: SOAK_RATE new incidents a second, in POSTs of SOAK_BATCH records */
const SOAK_RATE = 20;
const SOAK_BATCH = 5;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
};
const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MB`;
const ms = (v: number) => `${v.toFixed(v < 10 ? 1 : 0)} ms`;

/**
 * A server process (bench/ingestServer.ts) in `mode`: its first message, memory on request,
 * stopped at the end.
 */
async function startServer(mode: 'seed' | 'serve', target: string, opts: IngestBenchOptions) {
  const child: ChildProcess = fork(
    path.join(import.meta.dirname, 'ingestServer.ts'),
    [mode, target, opts.password, String(opts.seed)],
    {
      execArgv: [
        '--import',
        'tsx',
        '--expose-gc',
        ...(opts.cpuProfileDir ? ['--cpu-prof', '--cpu-prof-dir', opts.cpuProfileDir] : []),
      ],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    },
  );
  const next = () =>
    new Promise<ServerMessage>((resolve, reject) => {
      const onExit = (code: number | null) =>
        reject(new Error(`the ingest server exited (${code})`));
      child.once('exit', onExit);
      child.once('message', (m: ServerMessage) => {
        child.off('exit', onExit);
        if (m.kind === 'failed') reject(new Error(`the ingest server failed: ${m.message}`));
        else resolve(m);
      });
    });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const first = await next();
  const ask = (m: ParentMessage) => child.send(m);
  return {
    first,
    exited,
    memory: async () => {
      const answer = next();
      ask({ kind: 'memory' });
      const m = await answer;
      if (m.kind !== 'memory') throw new Error(`unexpected message ${m.kind}`);
      return m;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        ask({ kind: 'stop' });
      }),
  };
}

/** Runs the ingest figures against `target` (a directory or a postgres:// URL). */
export async function runIngestBench(
  target: string,
  opts: IngestBenchOptions,
  set: (key: string, value: string) => void,
) {
  // seeded by a process of its own, then served by a fresh one
  const seeding = await startServer('seed', target, opts);
  await seeding.exited;
  if (seeding.first.kind !== 'seeded') throw new Error(`unexpected ${seeding.first.kind}`);
  set(
    'ingest: demo data seeded (then a fresh server)',
    `${(seeding.first.ms / 1000).toFixed(1)} s`,
  );
  const serving = await startServer('serve', target, opts);
  if (serving.first.kind !== 'ready') throw new Error(`unexpected ${serving.first.kind}`);
  const server = { ...serving, ...serving.first };
  const base = `http://127.0.0.1:${server.port}`;
  const run = `B${process.pid}-${Date.now().toString(36)}`;
  let serial = 0;
  const now = Date.now();
  /** A new call, a few minutes old, at one of the sample points. */
  const record = () => {
    const n = serial++;
    const [lon, lat] = server.points[n % server.points.length]!;
    return {
      sourceId: `${run}-${n}`,
      time: new Date(now - (n % 600) * 1000).toISOString(),
      category: INCIDENT_CATEGORIES[n % INCIDENT_CATEGORIES.length],
      lon,
      lat,
      address: `城北区测试路 ${n} 号`,
    };
  };
  const post = async (records: unknown[]) => {
    const res = await fetch(`${base}/api/incidents/ingest`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${server.token}` },
      body: JSON.stringify(records),
    });
    const body = (await res.json()) as { counts?: Record<string, number>; error?: string };
    if (!res.ok || !body.counts)
      throw new Error(`ingest: HTTP ${res.status} ${JSON.stringify(body)}`);
    return body.counts;
  };

  try {
    // throughput, no stream open; one warm-up batch first
    await post(Array.from({ length: BATCH }, record));
    const batches = Array.from({ length: BATCHES }, () => Array.from({ length: BATCH }, record));
    const timeBatches = async (outcome: string) => {
      const t0 = performance.now();
      for (const b of batches) {
        const counts = await post(b);
        if (counts[outcome] !== BATCH)
          throw new Error(`ingest: expected ${BATCH} ${outcome}, got ${JSON.stringify(counts)}`);
      }
      return (BATCHES * BATCH) / ((performance.now() - t0) / 1000);
    };
    const created = await timeBatches('created');
    const replayed = await timeBatches('unchanged');
    const rate = (r: number) => `${Math.round(r).toLocaleString('en')} records/s`;
    set(`ingest ${BATCHES} × ${BATCH} new records (target ≥ 5,000/s on server)`, rate(created));
    set(`ingest replay of the same batches (all unchanged)`, rate(replayed));

    // 100 streams, one session each
    const cookies: string[] = [];
    // one after another: sign-ins of one account at once can trip its lock-out count
    const t0 = performance.now();
    for (let i = 0; i < SUBSCRIBERS; i++) cookies.push(await signIn(base, opts));
    set(
      `ingest: ${SUBSCRIBERS} sign-ins, one after another`,
      `${((performance.now() - t0) / 1000).toFixed(1)} s`,
    );
    /** arrival times by sourceId, of the ids being waited for */
    const waiting = new Map<string, { t0: number; got: number[]; done: () => void }>();
    let received = 0;
    let messages = 0;
    const subs = await Promise.all(
      cookies.map(async (cookie) => {
        const client = liveClientFor(base, cookie);
        let started!: () => void;
        let failed!: (e: unknown) => void;
        const open = new Promise<void>((resolve, reject) => {
          started = resolve;
          failed = reject;
        });
        const sub = client.live.incidents.subscribe(undefined, {
          onStarted: () => started(),
          // a message carries the events read together
          onData: ({ data }: { data: readonly NumberedIncidentEvent[] }) => {
            received += data.length;
            messages++;
            for (const { event } of data) {
              const w = event.sourceId ? waiting.get(event.sourceId) : undefined;
              if (!w) continue;
              w.got.push(performance.now() - w.t0);
              if (w.got.length === SUBSCRIBERS) w.done();
            }
          },
          onError: (e: unknown) => failed(e),
        });
        await open;
        return sub;
      }),
    );
    try {
      // wait until the streams have read past everything before they opened
      await sleep(1000);
      const latencies: number[] = [];
      for (let round = 0; round < LATENCY_ROUNDS; round++) {
        const r = record();
        const got: number[] = [];
        const all = new Promise<void>((done) =>
          waiting.set(r.sourceId, { t0: performance.now(), got, done }),
        );
        await post([r]);
        await Promise.race([
          all,
          sleep(10_000).then(() => {
            throw new Error(`ingest → event: ${got.length} of ${SUBSCRIBERS} streams in 10 s`);
          }),
        ]);
        waiting.delete(r.sourceId);
        latencies.push(...got);
        await sleep(100);
      }
      set(
        `ingest → event, ${SUBSCRIBERS} streams (p95 target ≤ 1 s)`,
        `p50 ${ms(quantile(latencies, 0.5))}, p95 ${ms(quantile(latencies, 0.95))}, max ${ms(
          Math.max(...latencies),
        )} (${LATENCY_ROUNDS} rounds)`,
      );

      // the soak: 20 new incidents a second, one a POST, the streams connected
      const before = await server.memory();
      const receivedBefore = received;
      const messagesBefore = messages;
      const posts = Math.round((opts.soakMinutes * 60 * SOAK_RATE) / SOAK_BATCH);
      const total = posts * SOAK_BATCH;
      const start = performance.now();
      let late = 0;
      for (let i = 0; i < posts; i++) {
        // on a schedule: a POST that is due already goes at once, and counts as late
        const wait = start + (i * 1000 * SOAK_BATCH) / SOAK_RATE - performance.now();
        if (wait > 0) await sleep(wait);
        else late++;
        await post(Array.from({ length: SOAK_BATCH }, record));
      }
      const took = (performance.now() - start) / 1000;
      // let the streams drain what is left
      const expected = receivedBefore + total * SUBSCRIBERS;
      for (let i = 0; i < 100 && received < expected; i++) await sleep(100);
      const after = await server.memory();
      set(
        `memory, ${opts.soakMinutes} min at ${SOAK_RATE}/s: RSS before / after (growth ≤ 50 MB)`,
        `${mb(before.rss)} / ${mb(after.rss)} (${after.rss >= before.rss ? '+' : ''}${mb(after.rss - before.rss)})`,
      );
      set(
        `memory, ${opts.soakMinutes} min at ${SOAK_RATE}/s: heap before / after`,
        `${mb(before.heapUsed)} / ${mb(after.heapUsed)} (${after.heapUsed >= before.heapUsed ? '+' : ''}${mb(after.heapUsed - before.heapUsed)})`,
      );
      set(
        `soak: incidents sent in s (/s), POSTs late, events received`,
        [
          `${total} in ${took.toFixed(0)} s (${(total / took).toFixed(1)}/s)`,
          `${late}/${posts} late`,
          `${received - receivedBefore}/${total * SUBSCRIBERS} events in ${messages - messagesBefore} messages`,
        ].join('; '),
      );
    } finally {
      for (const s of subs) s.unsubscribe();
    }
  } finally {
    await server.stop();
  }
}

/** Signs the leader in; returns the session cookie. */
async function signIn(base: string, opts: IngestBenchOptions) {
  const res = await fetch(`${base}/trpc/auth.login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-trpc-source': 'bench', origin: base },
    body: JSON.stringify({ username: 'leader', password: opts.password }),
  });
  if (!res.ok) throw new Error(`bench sign-in failed: ${res.status} ${await res.text()}`);
  return res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
}

/** A fresh embedded database directory for the ingest server, removed afterwards. */
export async function withTempDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'pingan-bench-ingest-'));
  try {
    return await fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
