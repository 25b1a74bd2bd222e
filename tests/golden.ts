import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { GeoJSON } from 'geojson';
import { it } from 'vitest';

/** Root of the golden fixtures: `tests/fixtures/geo/<fnName>/{in,out}/*.geojson`. */
export const GOLDEN_ROOT = fileURLToPath(new URL('./fixtures/geo', import.meta.url));

/** Numbers closer than this count as equal when comparing with the expected file. */
export const GOLDEN_TOLERANCE = 1e-9;

const MAX_REPORTED_DIFFERENCES = 8;

/**
 * Registers one vitest `it` per input fixture of a geo/ function: each
 * `tests/fixtures/geo/<fnName>/in/<name>.geojson` is parsed and handed to `run`, and the
 * result must deep-equal `out/<name>.geojson` (numbers within {@link GOLDEN_TOLERANCE}).
 * With `REGEN=1` in the environment the expected files are (re)written from the results
 * instead, and stale expected files (no input of the same name) are deleted. Call it inside
 * a `describe` block.
 *
 * @example
 *   describe('cameraSector golden files', () => {
 *     goldenCases('cameraSector', (input) => sectorsOf(input));
 *   });
 *   // REGEN=1 npx vitest run --project unit tests/unit/cameraSector.test.ts  rewrites out/
 */
export function goldenCases(
  fnName: string,
  run: (input: GeoJSON) => GeoJSON | Promise<GeoJSON>,
): void {
  if (!/^[A-Za-z0-9_-]+$/.test(fnName)) {
    throw new Error(`goldenCases: fnName must be a plain file name, got ${JSON.stringify(fnName)}`);
  }
  const regen = process.env.REGEN === '1';
  const inDir = join(GOLDEN_ROOT, fnName, 'in');
  const outDir = join(GOLDEN_ROOT, fnName, 'out');
  const names = existsSync(inDir)
    ? readdirSync(inDir)
        .filter((f) => f.endsWith('.geojson'))
        .sort()
    : [];

  if (names.length === 0) {
    it(`has golden fixtures in ${relative(inDir)}`, () => {
      throw new Error(`goldenCases: no *.geojson fixtures in ${relative(inDir)}`);
    });
    return;
  }

  for (const name of names) {
    it(`golden: ${fnName}/${name}`, async () => {
      const input = JSON.parse(readFileSync(join(inDir, name), 'utf8')) as GeoJSON;
      // A JSON round trip makes the result look exactly like what a file would hold.
      const actual: unknown = JSON.parse(JSON.stringify(await run(input)));
      const outFile = join(outDir, name);
      if (regen) {
        mkdirSync(outDir, { recursive: true });
        writeFileSync(outFile, `${JSON.stringify(actual, null, 2)}\n`);
        return;
      }
      if (!existsSync(outFile)) {
        throw new Error(
          `${relative(outFile)} is missing: run with REGEN=1 to write it, then review it`,
        );
      }
      const expected: unknown = JSON.parse(readFileSync(outFile, 'utf8'));
      const differences: string[] = [];
      compare(expected, actual, '$', differences);
      if (differences.length > 0) {
        const shown = differences.slice(0, MAX_REPORTED_DIFFERENCES).join('\n  ');
        const more =
          differences.length > MAX_REPORTED_DIFFERENCES
            ? `\n  … and ${differences.length - MAX_REPORTED_DIFFERENCES} more`
            : '';
        throw new Error(
          `${relative(outFile)} differs from the result (${differences.length} difference(s)):\n  ` +
            `${shown}${more}\nIf the change is intended, run with REGEN=1 and review the diff.`,
        );
      }
    });
  }

  const stale = existsSync(outDir)
    ? readdirSync(outDir).filter((f) => f.endsWith('.geojson') && !names.includes(f))
    : [];
  if (stale.length > 0) {
    it(`golden: ${fnName} has no stale expected files`, () => {
      if (regen) {
        for (const f of stale) unlinkSync(join(outDir, f));
        return;
      }
      throw new Error(
        `expected files without an input in ${relative(outDir)}: ${stale.join(', ')} ` +
          '(delete them, or run with REGEN=1)',
      );
    });
  }
}

/** Appends to `out` a line per difference between two JSON values (numbers within tolerance). */
function compare(expected: unknown, actual: unknown, path: string, out: string[]): void {
  if (typeof expected === 'number' && typeof actual === 'number') {
    if (!(Math.abs(expected - actual) <= GOLDEN_TOLERANCE)) {
      out.push(`${path}: expected ${expected}, got ${actual}`);
    }
    return;
  }
  if (Array.isArray(expected) || Array.isArray(actual)) {
    if (!Array.isArray(expected) || !Array.isArray(actual)) {
      out.push(`${path}: expected ${preview(expected)}, got ${preview(actual)}`);
      return;
    }
    if (expected.length !== actual.length) {
      out.push(`${path}: expected ${expected.length} items, got ${actual.length}`);
    }
    const n = Math.min(expected.length, actual.length);
    for (let i = 0; i < n; i++) compare(expected[i], actual[i], `${path}[${i}]`, out);
    return;
  }
  if (isObject(expected) && isObject(actual)) {
    const keys = new Set([...Object.keys(expected), ...Object.keys(actual)]);
    for (const key of [...keys].sort()) {
      const child = `${path}.${key}`;
      if (!(key in actual)) out.push(`${child}: missing from the result`);
      else if (!(key in expected)) out.push(`${child}: not expected, got ${preview(actual[key])}`);
      else compare(expected[key], actual[key], child, out);
    }
    return;
  }
  if (expected !== actual) {
    out.push(`${path}: expected ${preview(expected)}, got ${preview(actual)}`);
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function preview(v: unknown): string {
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

function relative(p: string): string {
  return p.slice(fileURLToPath(new URL('..', import.meta.url)).length);
}
