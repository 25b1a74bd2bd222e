/**
 * Each key of the API has its own file, named after it: server/routers/<key>.ts exports
 * `<key>Router`, and that is the router mounted under the key.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { appRouter } from '../../server/router';

const ROUTERS = path.resolve(__dirname, '../../server/routers');

type AnyRouter = { _def: { procedures: Record<string, unknown> } };

describe('router files', () => {
  const keys = Object.keys(appRouter._def.record);

  it.each(keys)('%s lives in server/routers/%s.ts', async (key) => {
    const file = path.join(ROUTERS, `${key}.ts`);
    expect(existsSync(file), file).toBe(true);
    const mod = (await import(file)) as Record<string, AnyRouter | undefined>;
    const sub = mod[`${key}Router`];
    expect(sub, `${key}Router exported by ${file}`).toBeDefined();
    // the procedures mounted under the key are this file's router's own
    const own = Object.keys(sub!._def.procedures).map((p) => `${key}.${p}`);
    const all = appRouter._def.procedures as Record<string, unknown>;
    const mounted = Object.keys(all).filter((p) => p.startsWith(`${key}.`));
    expect(own.sort()).toEqual(mounted.sort());
    for (const p of own) expect(all[p]).toBe(sub!._def.procedures[p.slice(key.length + 1)]);
  });
});
