/**
 * Inputs for the fuzzer, derived from each procedure's own zod schema (through its JSON Schema,
 * read as the client sends it) so that a procedure added or changed later is fuzzed as it is.
 *
 * Each field is mostly "valid-ish", drawn from the real data where its name says what it is (a
 * window within the data's span, a real community, zone or post, a small polygon inside the
 * district), so that calls get past validation and do real work; now and then a field is
 * hostile instead (NUL bytes, 2³¹ ids, huge or negative numbers, NaN-ish strings, very long
 * strings, deep nesting, wrong types, missing or extra keys, self-crossing stars of thousands of
 * vertices), and now and then the whole input is.
 */
import fc from 'fast-check';
import { z } from 'zod';
import { SUBCATEGORY_CODES } from '../../server/demo/incidentMix';
import { MAP_LAYERS, ROLES } from '../../domain/policy';

export type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema | false;
  prefixItems?: JsonSchema[];
  minItems?: number;
  maxItems?: number;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  default?: unknown;
};

/** A value the harness fills in just before the call, from the server's current state. */
export class Sentinel {
  constructor(
    readonly kind: 'password' | 'version' | 'totp',
    readonly note = '',
  ) {}
  toJSON() {
    return `<${this.kind}${this.note ? ` ${this.note}` : ''}>`;
  }
  toString() {
    return this.toJSON();
  }
}

export interface Community {
  id: number;
  townId: number;
  /** a point well inside it (the mean of its outer ring) */
  centre: [number, number];
}

/** What the valid-ish values are drawn from: read from the running server before fuzzing. */
export interface Fixture {
  /** the data's time span, in ms */
  start: number;
  end: number;
  district: [number, number, number, number];
  towns: number[];
  communities: Community[];
  zoneIds: number[];
  postIds: number[];
  maxIncidentId: number;
  usernames: string[];
}

/** The JSON Schema of a procedure's input as a client sends it, or undefined without input. */
export function inputSchema(inputs: readonly unknown[]): JsonSchema | undefined {
  if (!inputs.length) return undefined;
  return z.toJSONSchema(inputs[0] as z.ZodType, {
    io: 'input',
    unrepresentable: 'any',
  }) as JsonSchema;
}

const INT32 = 2 ** 31;

/** The accounts auth.login is fuzzed with (the first made by the test, the second unknown). */
export const LOGIN_NAMES = ['fuzz-login', 'nobody-here'];

// --- hostile values -----------------------------------------------------------------------------

const nul = fc.string({ maxLength: 8 }).map((s) => `${s}\u0000${s}`);
const nanish = fc.constantFrom(
  'NaN',
  'Infinity',
  '-Infinity',
  '1e999',
  '0x1F',
  '',
  ' ',
  '-0',
  '00000000000000000000001',
  'null',
  'undefined',
  'true',
);
const injection = fc.constantFrom(
  "'",
  '"',
  '\\',
  "'; DROP TABLE users; --",
  '%',
  '_',
  '$1',
  '::int',
  '\u0000',
  '\ud800',
  '\uffff',
  '\u202e',
  '../../etc/passwd',
  '<script>alert(1)</script>',
  '{"__proto__":{"admin":true}}',
);
const badDates = fc.constantFrom(
  '2026-02-30',
  '2026-13-01',
  '2026-06-30T25:00:00Z',
  '2026-06-30T08:00:00+99:99',
  '9999-12-31',
  '0001-01-01',
  '1970-01-01T00:00:00Z',
  '2026-06-30T08:00:00.123456789+08:00',
  '+275760-09-13T00:00:00Z',
  '2026-06-30\u0000',
);
const hugeNumbers = fc.constantFrom(
  -1,
  0,
  -0,
  0.5,
  INT32 - 1,
  INT32,
  INT32 + 1,
  2 ** 32,
  -INT32 - 1,
  Number.MAX_SAFE_INTEGER,
  2 ** 53 + 2,
  2 ** 63,
  1e308,
  -1e308,
  5e-324,
);

/** JSON text sent as it is: what JSON.stringify cannot write (it overflows its stack). */
export class RawJson {
  constructor(
    readonly text: string,
    readonly label: string,
  ) {}
  toJSON() {
    return `<${this.label}>`;
  }
}

/** The JSON text of a value that may hold RawJson parts. */
export function encode(v: unknown): string | undefined {
  if (v instanceof RawJson) return v.text;
  if (Array.isArray(v)) return `[${v.map((x) => encode(x) ?? 'null').join(',')}]`;
  if (v && typeof v === 'object' && !(v instanceof Sentinel)) {
    const parts: string[] = [];
    for (const k of Object.keys(v)) {
      const e = encode((v as Record<string, unknown>)[k]);
      if (e !== undefined) parts.push(`${JSON.stringify(k)}:${e}`);
    }
    return `{${parts.join(',')}}`;
  }
  return JSON.stringify(v);
}

/** Arrays or objects nested `depth` deep. */
const deep = fc
  .tuple(fc.integer({ min: 50, max: 20_000 }), fc.boolean())
  .map(
    ([depth, arrays]) =>
      new RawJson(
        arrays
          ? '['.repeat(depth) + ']'.repeat(depth)
          : '{"a":'.repeat(depth) + '1' + '}'.repeat(depth),
        `${arrays ? 'arrays' : 'objects'} nested ${depth} deep`,
      ),
  );
const longString = fc
  .tuple(fc.constantFrom(300, 5_000, 100_000, 300_000), fc.constantFrom('a', '字', '\u0000', '%'))
  .map(([n, c]) => c.repeat(n));
const bigArray = fc
  .tuple(fc.constantFrom(1_000, 50_000), fc.anything({ maxDepth: 0 }))
  .map(([n, v]) => Array.from({ length: n }, () => v));

/** Anything that is wrong, whatever the field. */
export const hostile: fc.Arbitrary<unknown> = fc.oneof(
  nul,
  nanish,
  injection,
  badDates,
  hugeNumbers,
  fc.constantFrom(null, true, false, [], {}, [[]], { length: 1e9 }),
  fc.constant({ __proto__: null, constructor: { prototype: { admin: true } } }),
  fc.jsonValue({ maxDepth: 3 }),
  deep,
  longString,
  bigArray,
);

/** A wrong value of the field's own kind: near its limits and past them. */
function hostileOf(s: JsonSchema): fc.Arbitrary<unknown> {
  const t = Array.isArray(s.type) ? s.type[0] : s.type;
  if (t === 'string')
    return fc.oneof(
      nul,
      injection,
      nanish,
      badDates,
      fc.constant('x'.repeat((s.maxLength ?? 256) + 1)),
      longString,
    );
  if (t === 'integer' || t === 'number') {
    const lo = s.minimum ?? s.exclusiveMinimum;
    const hi = s.maximum ?? s.exclusiveMaximum;
    const edges = [lo, hi]
      .filter((v): v is number => v !== undefined && Math.abs(v) < 1e15)
      .flatMap((v) => [v - 1, v + 1, v - 1e-9, v + 1e-9]);
    return fc.oneof(hugeNumbers, edges.length ? fc.constantFrom(...edges) : hugeNumbers, nanish);
  }
  if (t === 'array')
    return fc.oneof(
      bigArray,
      deep,
      fc.constant(Array.from({ length: (s.maxItems ?? 10) + 1 }, (_, i) => i)),
    );
  return hostile;
}

// --- valid-ish values ---------------------------------------------------------------------------

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** An instant written as the API accepts it: with an offset, in UTC, or a date. */
function formatInstant(t: number, style: number): string {
  if (style === 0) return new Date(t).toISOString();
  if (style === 1) {
    const local = new Date(t + 8 * HOUR).toISOString().slice(0, 19);
    return `${local}+08:00`;
  }
  return new Date(t + 8 * HOUR).toISOString().slice(0, 10);
}

function instantIn(f: Fixture): fc.Arbitrary<string> {
  return fc
    .tuple(fc.integer({ min: 0, max: Math.floor((f.end - f.start) / MINUTE) }), fc.nat(2))
    .map(([m, style]) => formatInstant(f.start + m * MINUTE, style));
}

/** A window [from, to) within (or just around) the data's span. */
function windowIn(f: Fixture): fc.Arbitrary<{ from: string; to: string }> {
  const span = f.end - f.start;
  return fc
    .tuple(
      fc.oneof(
        fc.constantFrom(HOUR, DAY, 7 * DAY, 30 * DAY, 92 * DAY, 365 * DAY, span),
        fc.integer({ min: 1, max: Math.floor(span / MINUTE) }).map((m) => m * MINUTE),
      ),
      fc.double({ min: 0, max: 1, noNaN: true }),
      fc.nat(2),
    )
    .map(([len, at, style]) => {
      const from = f.start + Math.floor(((span - Math.min(len, span)) * at) / MINUTE) * MINUTE;
      const to = from + (style === 2 ? Math.max(DAY, Math.ceil(len / DAY) * DAY) : len);
      return { from: formatInstant(from, style), to: formatInstant(to, style) };
    });
}

const M_PER_DEG_LAT = 111_320;

/** A point near a community's centre, up to `radiusM` away. */
function pointNear(f: Fixture, radiusM = 800): fc.Arbitrary<[number, number]> {
  return fc
    .tuple(
      fc.constantFrom(...f.communities),
      fc.double({ min: -1, max: 1, noNaN: true }),
      fc.double({ min: -1, max: 1, noNaN: true }),
    )
    .map(([c, dx, dy]) => offset(c.centre, dx * radiusM, dy * radiusM));
}

function offset([lon, lat]: [number, number], east: number, north: number): [number, number] {
  const kx = M_PER_DEG_LAT * Math.cos((lat * Math.PI) / 180);
  return [round6(lon + east / kx), round6(lat + north / M_PER_DEG_LAT)];
}
const round6 = (v: number) => Math.round(v * 1e6) / 1e6;

/** A closed ring around `c`: a regular polygon, or a star whose edges cross one another. */
function ring(c: [number, number], n: number, radiusM: number, star: boolean) {
  const pts: [number, number][] = [];
  for (let i = 0; i < n; i++) {
    // a star of step k > 1 visits every vertex of the regular polygon, its edges crossing
    const k = star ? Math.floor(n / 2) - 1 || 1 : 1;
    const a = (2 * Math.PI * ((i * k) % n)) / n;
    pts.push(offset(c, Math.cos(a) * radiusM, Math.sin(a) * radiusM));
  }
  pts.push(pts[0]!);
  return pts;
}

/** Small honest polygons and multipolygons inside the district. */
function polygonIn(f: Fixture): fc.Arbitrary<unknown> {
  const polygon = fc
    .tuple(
      pointNear(f, 600),
      fc.integer({ min: 3, max: 48 }),
      fc.integer({ min: 30, max: 800 }),
      fc.boolean(),
    )
    .map(([c, n, r, hole]) => {
      const outer = ring(c, n, r, false);
      return hole ? [outer, ring(c, Math.max(3, n - 1), r / 3, false).reverse()] : [outer];
    });
  return fc.oneof(
    { weight: 4, arbitrary: polygon.map((coordinates) => ({ type: 'Polygon', coordinates })) },
    {
      weight: 1,
      arbitrary: fc
        .array(polygon, { minLength: 1, maxLength: 4 })
        .map((coordinates) => ({ type: 'MultiPolygon', coordinates })),
    },
  );
}

/** Geometries that cost: many vertices, self-crossings, far-away or absurd coordinates. */
function hostilePolygon(f: Fixture): fc.Arbitrary<unknown> {
  return fc.oneof(
    // the star of thousands of crossing edges
    {
      weight: 3,
      arbitrary: fc
        .tuple(pointNear(f, 300), fc.constantFrom(50, 500, 2_000, 10_000, 10_000), fc.boolean())
        .map(([c, n, star]) => ({ type: 'Polygon', coordinates: [ring(c, n, 400, star)] })),
    },
    // a whole district's worth of small zones
    fc.tuple(pointNear(f, 300), fc.constantFrom(50, 200)).map(([c, n]) => ({
      type: 'MultiPolygon',
      coordinates: Array.from({ length: n }, (_, i) => [
        ring(offset(c, (i % 20) * 120, Math.floor(i / 20) * 120), 32, 50, false),
      ]),
    })),
    // a polygon the size of the world, or beyond it
    fc.constantFrom(
      {
        type: 'Polygon',
        coordinates: [
          [
            [-180, -90],
            [180, -90],
            [180, 90],
            [-180, 90],
            [-180, -90],
          ],
        ],
      },
      {
        type: 'Polygon',
        coordinates: [
          [
            [1e308, 1e308],
            [-1e308, 1e308],
            [-1e308, -1e308],
            [1e308, 1e308],
          ],
        ],
      },
      { type: 'Polygon', coordinates: [[[101.7, 36.6]]] },
      { type: 'Polygon', coordinates: [[]] },
      {
        type: 'Polygon',
        coordinates: [
          [
            [101.7, 36.6, 5, 6, 7],
            [101.71, 36.6],
            [101.71, 36.61],
          ],
        ],
      },
      {
        type: 'Polygon',
        coordinates: [
          [
            [101.75, 36.65],
            [101.75, 36.65],
            [101.75, 36.65],
            [101.75, 36.65],
          ],
        ],
      },
      { type: 'Polygon', coordinates: Array.from({ length: 200 }, () => [[101.75, 36.65]]) },
      { type: 'GeometryCollection', geometries: [] },
      { type: 'Point', coordinates: [101.75, 36.65] },
    ),
  );
}

function bboxIn(f: Fixture): fc.Arbitrary<[number, number, number, number]> {
  const [w, s, e, n] = f.district;
  return fc
    .tuple(
      fc.double({ min: 0, max: 1, noNaN: true }),
      fc.double({ min: 0, max: 1, noNaN: true }),
      fc.double({ min: 0.01, max: 1, noNaN: true }),
    )
    .map(([x, y, size]) => {
      const west = w + x * (e - w) * (1 - size);
      const south = s + y * (n - s) * (1 - size);
      return [
        round6(west),
        round6(south),
        round6(west + size * (e - w)),
        round6(south + size * (n - s)),
      ];
    });
}

const strongPassword = fc.stringMatching(/^[A-Za-z0-9]{6}$/).map((s) => `Fz-${s}-Quiet-Harbour-7!`);

// --- from the schema ----------------------------------------------------------------------------

/** Now and then a control character inside: NUL, a lone surrogate, an escape sequence. */
function sprinkle(arb: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 4, arbitrary: arb },
    fc
      .tuple(arb, fc.constantFrom('\u0000', '\ud800', '\u0001', '\u001b[2J'), fc.nat())
      .map(([v, c, at]) => v.slice(0, at % (v.length + 1)) + c + v.slice(at % (v.length + 1))),
  );
}

/** What a field holds, from its name and where it is (the procedure's path). */
function domainOf(
  name: string,
  s: JsonSchema,
  path: string,
  f: Fixture,
): fc.Arbitrary<unknown> | undefined {
  const t = Array.isArray(s.type) ? s.type[0] : s.type;
  const isInt = t === 'integer';
  if (t === 'string' && (name === 'from' || name === 'to' || name === 'at')) return instantIn(f);
  if (isInt && (name === 'communityId' || name === 'communities'))
    return fc.constantFrom(...f.communities.map((c) => c.id));
  if (isInt && name === 'towns') return fc.constantFrom(...f.towns);
  if (isInt && name === 'keep') return fc.constantFrom(...f.postIds);
  if (isInt && name === 'id') {
    if (path.startsWith('zones.') || path === 'plan.evaluate#zones')
      return fc.constantFrom(...f.zoneIds);
    if (path.startsWith('posts.') || path === 'plan.evaluate#posts')
      return fc.constantFrom(...f.postIds);
    if (path.startsWith('incidents.')) return fc.integer({ min: 1, max: f.maxIncidentId });
  }
  if (isInt && name === 'version')
    return fc.oneof(
      { weight: 3, arbitrary: fc.constant(new Sentinel('version', 'current')) },
      { weight: 1, arbitrary: fc.integer({ min: 1, max: 4 }) },
    );
  if (isInt && name === 'to') return fc.integer({ min: 1, max: 4 });
  if (isInt && name === 'cursor') return fc.integer({ min: 1, max: 5000 });
  if (name === 'geometry') return polygonIn(f);
  if (name === 'position') return pointNear(f);
  if (name === 'bbox') return bboxIn(f);
  if (t === 'string' && name === 'username' && path === 'auth.login')
    // never the fuzzer's own accounts: wrong passwords would lock them
    return sprinkle(
      fc.oneof(fc.constantFrom(...LOGIN_NAMES), fc.stringMatching(/^[a-z][a-z0-9_.-]{2,31}$/)),
    );
  if (t === 'string' && name === 'username')
    return sprinkle(
      fc.oneof(fc.constantFrom(...f.usernames), fc.stringMatching(/^[a-z][a-z0-9_.-]{2,31}$/)),
    );
  if (t === 'string' && (name === 'password' || name === 'current'))
    return fc.oneof(
      { weight: 2, arbitrary: fc.constant(new Sentinel('password', 'own')) },
      { weight: 1, arbitrary: sprinkle(fc.string({ minLength: 1, maxLength: 40 })) },
    );
  if (t === 'string' && name === 'next') return strongPassword;
  if (t === 'string' && (name === 'code' || name === 'totp'))
    return fc.oneof(fc.constant(new Sentinel('totp', 'now')), fc.stringMatching(/^\d{6}$/));
  if (t === 'string' && (name === 'batch' || name === 'withoutBatch'))
    return fc.constantFrom('existing', 'sharp-eyes-infill', 'none');
  if (t === 'string' && name === 'studio')
    return fc.constantFrom('mulin', 'hexie', 'anxin', 'tongxin', 'none');
  if (t === 'string' && name === 'subcategories') return fc.constantFrom(...SUBCATEGORY_CODES);
  if (t === 'string' && name === 'layers') return fc.constantFrom(...MAP_LAYERS);
  if (t === 'string' && name === 'role') return fc.constantFrom(...ROLES);
  if (t === 'string' && name === 'lastEventId')
    return fc.oneof(fc.nat(5000).map(String), fc.stringMatching(/^\d{1,18}$/));
  return undefined;
}

const MAX_INT_VALID = 1_000_000;

function plain(s: JsonSchema, name: string, path: string, f: Fixture): fc.Arbitrary<unknown> {
  if (s.const !== undefined) return fc.constant(s.const);
  if (s.enum) return fc.constantFrom(...s.enum);
  const alts = s.oneOf ?? s.anyOf;
  if (alts) return fc.oneof(...alts.map((a) => valid(a, name, path, f)));
  const t = Array.isArray(s.type) ? s.type[0] : s.type;
  switch (t) {
    case 'null':
      return fc.constant(null);
    case 'boolean':
      return fc.boolean();
    case 'string': {
      if (s.pattern) return fc.stringMatching(new RegExp(s.pattern));
      const min = s.minLength ?? 0;
      const max = Math.min(s.maxLength ?? 60, 60);
      return fc.oneof(
        { weight: 3, arbitrary: fc.string({ minLength: min, maxLength: max }) },
        // what a free-text schema lets through: NUL, lone surrogates, control characters
        fc
          .tuple(
            fc.string({ minLength: min, maxLength: Math.max(min, max - 1) }),
            fc.constantFrom('\u0000', '\ud800', '\u0001', '\u001b[2J'),
          )
          .map(([v, c]) =>
            (v.length ? v.slice(0, -1) + c + v.slice(-1) : c).slice(0, s.maxLength ?? 1e6),
          ),
        fc.string({ minLength: min, maxLength: max, unit: 'grapheme' }),
        fc.constantFrom('平安图', '城北区', '朝阳社区巡逻组').filter((v) => v.length >= min),
      );
    }
    case 'integer': {
      const lo = s.minimum ?? (s.exclusiveMinimum !== undefined ? s.exclusiveMinimum + 1 : -1000);
      const hi = s.maximum ?? (s.exclusiveMaximum !== undefined ? s.exclusiveMaximum - 1 : 1000);
      const a = Math.max(lo, -MAX_INT_VALID);
      const b = Math.min(hi, Math.max(a, MAX_INT_VALID));
      // the limits themselves come often: they are where the cost is (50 m cells, 500 rows)
      const inner = fc.oneof(fc.constantFrom(a, b), fc.integer({ min: a, max: b }));
      // the whole range is valid: its far end (2³¹ and beyond) too
      return hi > b ? fc.oneof({ weight: 6, arbitrary: inner }, fc.constantFrom(INT32, hi)) : inner;
    }
    case 'number': {
      const lo = s.minimum ?? s.exclusiveMinimum ?? -1e6;
      const hi = s.maximum ?? s.exclusiveMaximum ?? 1e6;
      return fc.oneof(
        { weight: 2, arbitrary: fc.constantFrom(lo, hi) },
        fc.double({
          min: lo,
          max: hi,
          noNaN: true,
          noDefaultInfinity: true,
          minExcluded: s.exclusiveMinimum !== undefined,
          maxExcluded: s.exclusiveMaximum !== undefined,
        }),
        fc.integer({ min: Math.ceil(Math.max(lo, -1e9)), max: Math.floor(Math.min(hi, 1e9)) }),
      );
    }
    case 'array': {
      if (s.prefixItems) {
        const head = s.prefixItems.map((p, i) => valid(p, `${name}[${i}]`, path, f));
        return fc.tuple(...head);
      }
      const item = s.items ? field(s.items, name, path, f, 24) : fc.jsonValue({ maxDepth: 1 });
      const min = s.minItems ?? 0;
      return fc.array(item, {
        minLength: min,
        maxLength: Math.max(min, Math.min(s.maxItems ?? 6, 6)),
      });
    }
    case 'object':
      return objectOf(s, path, f);
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

/** A value of the schema, the field's hint first. */
function valid(s: JsonSchema, name: string, path: string, f: Fixture): fc.Arbitrary<unknown> {
  const t = Array.isArray(s.type) ? s.type[0] : s.type;
  // the items of a named array (communities: [ids]) take the array's hint
  if (t !== 'array' || s.prefixItems) {
    const d = domainOf(name, s, path, f);
    // what the schema lets through beyond the real data: ids of 2³¹ and more
    const hi = s.maximum ?? s.exclusiveMaximum;
    if (d && t === 'integer' && hi !== undefined && hi >= INT32)
      return fc.oneof({ weight: 5, arbitrary: d }, fc.constantFrom(INT32, 2 ** 40, hi));
    if (d) return d;
  } else if (name === 'geometry' || name === 'position' || name === 'bbox') {
    return domainOf(name, s, path, f)!;
  }
  return plain(s, name, path, f);
}

/** A field: valid-ish mostly, sometimes hostile (one time in `odds`). */
function field(
  s: JsonSchema,
  name: string,
  path: string,
  f: Fixture,
  odds = 12,
): fc.Arbitrary<unknown> {
  if (name === 'geometry')
    // geometries are where the cost is: the costly ones come often
    return fc.oneof(
      { weight: 4, arbitrary: valid(s, name, path, f) },
      { weight: 2, arbitrary: hostilePolygon(f) },
      { weight: 1, arbitrary: fc.oneof(hostileOf(s), hostile) },
    );
  const bad = fc.oneof({ weight: 2, arbitrary: hostileOf(s) }, hostile);
  return fc.oneof(
    { weight: odds, arbitrary: valid(s, name, path, f) },
    { weight: 1, arbitrary: bad },
  );
}

const MISSING = Symbol('missing');

function objectOf(s: JsonSchema, path: string, f: Fixture): fc.Arbitrary<unknown> {
  const props = Object.entries(s.properties ?? {});
  const required = new Set(s.required ?? []);
  // nested objects of plan.evaluate (zones, posts) say which ids they hold
  const model: Record<string, fc.Arbitrary<unknown>> = {};
  for (const [k, v] of props) {
    const sub =
      path === 'plan.evaluate' && (k === 'zones' || k === 'posts') ? `${path}#${k}` : path;
    const arb = field(v, k, sub, f);
    // a required field is sometimes left out
    model[k] = required.has(k)
      ? fc.oneof({ weight: 20, arbitrary: arb }, { weight: 1, arbitrary: fc.constant(MISSING) })
      : arb;
  }
  const optional = props.map(([k]) => k).filter((k) => !required.has(k));
  const hasWindow = s.properties?.from?.type === 'string' && s.properties?.to?.type === 'string';
  const base = fc.record(model, { requiredKeys: [...required] as never[] });
  const withWindow = hasWindow
    ? fc
        .tuple(base, fc.option(windowIn(f), { freq: 4, nil: undefined }), fc.boolean())
        .map(([o, w, keep]) => {
          // the window's ends drawn together (from before to), unless they were given apart
          if (!w) return o;
          const out: Record<string, unknown> = { ...o };
          if (required.has('from') || keep || 'from' in out) out.from = w.from;
          if (required.has('to') || keep || 'to' in out) out.to = w.to;
          if ('from' in out !== 'to' in out && !required.has('from')) {
            delete out.from;
            delete out.to;
          }
          return out;
        })
    : base;
  const extra = fc.option(
    fc.dictionary(
      fc.oneof(
        fc.string({ maxLength: 10 }),
        fc.constantFrom('__proto__', 'constructor', 'prototype'),
      ),
      hostile,
      {
        minKeys: 1,
        maxKeys: 3,
      },
    ),
    { freq: 12, nil: undefined },
  );
  void optional;
  return fc.tuple(withWindow, extra).map(([o, x]) => {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(o as Record<string, unknown>))
      if (v !== MISSING) out[k] = v;
    if (x)
      for (const [k, v] of Object.entries(x))
        Object.defineProperty(out, k, {
          value: v,
          enumerable: true,
          configurable: true,
          writable: true,
        });
    return out;
  });
}

/** The input arbitrary of a procedure: undefined when it takes none (it still gets garbage). */
export function inputArbitrary(
  schema: JsonSchema | undefined,
  path: string,
  f: Fixture,
): fc.Arbitrary<unknown> {
  if (!schema)
    return fc.oneof(
      { weight: 4, arbitrary: fc.constant(undefined) },
      { weight: 1, arbitrary: hostile },
    );
  return fc.oneof(
    { weight: 12, arbitrary: valid(schema, '', path, f) },
    { weight: 1, arbitrary: fc.constant(undefined) },
    { weight: 1, arbitrary: hostile },
  );
}
