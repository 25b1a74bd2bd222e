/**
 * `tsx bench/explainWindow.ts URL [from to]`: the SQL that the window procedures run on a
 * database (a kept scale one), each statement with EXPLAIN (ANALYZE, BUFFERS): the shared blocks
 * each reads show whether its cost follows the window or what is stored.
 */
import { openServer, type Database } from '../server/db/database';
import { leaderCaller } from './scale';

const [url, fromArg, toArg] = process.argv.slice(2);
if (!url) throw new Error('usage: tsx bench/explainWindow.ts URL [from to]');
const to = toArg ?? '2026-06-30T16:00:00Z';
const from = fromArg ?? new Date(Date.parse(to) - 30 * 86_400_000).toISOString();
const db = openServer(url, () => {}, { statementMs: 0, queryMs: 0 });
const captured: { text: string; params: unknown[] }[] = [];
// the same database, recording each statement
const recording = new Proxy(db, {
  get(target, prop, receiver) {
    if (prop === 'query')
      return (text: string, params: unknown[] = []) => {
        captured.push({ text, params });
        return target.query(text, params);
      };
    return Reflect.get(target, prop, receiver) as unknown;
  },
}) as Database;
const caller = leaderCaller(recording);
const w = { from, to };
const at = new Date(Date.parse(to) - 1).toISOString();
const calls: [string, () => Promise<unknown>][] = [
  ['heat', () => caller.incidents.heat({ ...w, cellMeters: 100 })],
  ['summary community', () => caller.incidents.summary({ ...w, groupBy: 'community' })],
  ['summary day', () => caller.incidents.summary({ ...w, groupBy: 'day' })],
  ['gistar', () => caller.hotspots.gistar({ ...w, cellMeters: 100, bandMeters: 300, fdr: true })],
  ['rankings month', () => caller.rankings.communities({ period: 'month', at })],
  ['rankings quarter', () => caller.rankings.communities({ period: 'quarter', at })],
];
for (const [name, call] of calls) {
  await call(); // caches warm
  captured.length = 0;
  await call();
  for (const q of captured) {
    if (!/^\s*(WITH|SELECT)/i.test(q.text)) continue;
    const plan = await db.query<{ 'QUERY PLAN': string }>(
      `EXPLAIN (ANALYZE, BUFFERS) ${q.text}`,
      q.params,
    );
    const lines = plan.map((r) => r['QUERY PLAN']);
    console.log(`\n=== ${name}: ${q.text.replace(/\s+/g, ' ').slice(0, 160)}`);
    console.log(lines.join('\n'));
  }
}
await db.close();
