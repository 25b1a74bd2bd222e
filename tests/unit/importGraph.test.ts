/**
 * The house's floors, checked on the source itself: domain/ and geo/ on the ground floor import
 * nothing from server/ or client/; client/ takes only types from server/; and no module imports
 * itself through others (type imports count: they tie the modules together all the same).
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '../..');
const FLOORS = ['domain', 'geo', 'server', 'client'];

function sources(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.(ts|tsx|mjs)$/.test(e.name))
    .map((e) => path.relative(ROOT, path.join(e.parentPath, e.name)));
}

interface Edge {
  to: string;
  typeOnly: boolean;
}

const files = FLOORS.flatMap(sources);
const known = new Set(files);
const IMPORT =
  /^\s*(import|export)\s+(type\s+)?[^'";]*?from\s+'(\.[^']+)'|import\(\s*'(\.[^']+)'\s*\)/gm;

function edges(file: string): Edge[] {
  const text = readFileSync(path.join(ROOT, file), 'utf8');
  const out: Edge[] = [];
  for (const m of text.matchAll(IMPORT)) {
    const spec = m[3] ?? m[4]!;
    const base = path.normalize(path.join(path.dirname(file), spec));
    const to = ['', '.ts', '.tsx', '.mjs', '/index.ts']
      .map((x) => base + x)
      .find((f) => known.has(f));
    if (to) out.push({ to, typeOnly: Boolean(m[2]) });
  }
  return out;
}

const graph = new Map(files.map((f) => [f, edges(f)]));
const floor = (f: string) => f.split(path.sep)[0]!;

describe('the import graph', () => {
  it('finds the modules it checks', () => {
    expect(files.length).toBeGreaterThan(100);
    expect(graph.get(path.join('server', 'app.ts'))!.length).toBeGreaterThan(5);
  });

  it('keeps domain/ and geo/ free of server/ and client/', () => {
    const bad = files
      .filter((f) => ['domain', 'geo'].includes(floor(f)))
      .flatMap((f) => graph.get(f)!.map((e) => [f, e.to] as const))
      .filter(([, to]) => ['server', 'client'].includes(floor(to)));
    expect(bad).toEqual([]);
  });

  it('lets client/ take only types from server/', () => {
    const bad = files
      .filter((f) => floor(f) === 'client')
      .flatMap((f) => graph.get(f)!.map((e) => ({ from: f, ...e })))
      .filter((e) => floor(e.to) === 'server' && !e.typeOnly)
      .map((e) => `${e.from} → ${e.to}`);
    expect(bad).toEqual([]);
  });

  it('has no cycle', () => {
    // Tarjan's strongly connected components: any component of two or more modules is a cycle
    const index = new Map<string, number>();
    const low = new Map<string, number>();
    const stack: string[] = [];
    const onStack = new Set<string>();
    const cycles: string[][] = [];
    let next = 0;
    const visit = (v: string) => {
      index.set(v, next);
      low.set(v, next++);
      stack.push(v);
      onStack.add(v);
      for (const { to } of graph.get(v)!) {
        if (!index.has(to)) {
          visit(to);
          low.set(v, Math.min(low.get(v)!, low.get(to)!));
        } else if (onStack.has(to)) low.set(v, Math.min(low.get(v)!, index.get(to)!));
      }
      if (low.get(v) === index.get(v)) {
        const component: string[] = [];
        let w: string;
        do {
          w = stack.pop()!;
          onStack.delete(w);
          component.push(w);
        } while (w !== v);
        if (component.length > 1) cycles.push(component.sort());
      }
    };
    for (const f of files) if (!index.has(f)) visit(f);
    expect(cycles).toEqual([]);
  });
});
