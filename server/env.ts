/**
 * The server's configuration, read from the environment and validated once at start-up.
 * A bad value stops the server with a message naming the variable and the problem.
 */
import { z } from 'zod';
import { DEFAULT_RANKING, parseWeights } from '../domain/rankingScore';

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date as YYYY-MM-DD')
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)), 'is not a real date');

export const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  /** A PostgreSQL/PostGIS server; when unset, the embedded database under DATA_DIR is used. */
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  /**
   * A streaming replica of DATABASE_URL's server: heavy reads go to it while it is up and close
   * behind (server/db/readReplica.ts), everything else to DATABASE_URL.
   */
  READ_DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  /** Seconds the replica may be behind the primary before reads go to the primary instead. */
  READ_MAX_LAG_S: z.coerce.number().min(0.5).max(3600).default(10),
  DATA_DIR: z.string().min(1).default('./data'),
  /** The demo dataset: the same seed and anchor always give the same data. */
  DEMO_SEED: z.string().min(1).default('chengbei'),
  DEMO_ANCHOR: isoDate.optional(),
  /** Fill an empty database with the demo data of Chengbei (default on). */
  DEMO_DATA: z.enum(['on', 'off']).default('on'),
  /** The live demo: simulated 110 calls arrive while the server runs (default: as DEMO_DATA). */
  DEMO_LIVE: z.enum(['on', 'off']).optional(),
  /** The live demo's speed-up: calls come this many times as often and move on as much faster. */
  DEMO_LIVE_RATE: z.coerce.number().min(1).max(100_000).default(1),
  /** Basemap: a MapLibre style URL, or an XYZ/WMTS tile URL template, or a local PMTiles file. */
  BASEMAP_STYLE_URL: z.url().optional(),
  BASEMAP_TILES: z
    .string()
    .refine(
      (s) => s.includes('{z}') && s.includes('{x}') && s.includes('{y}'),
      'must contain {z}, {x} and {y}',
    )
    .optional(),
  BASEMAP_PMTILES: z
    .string()
    .regex(/\.pmtiles$/, 'must be a path to a .pmtiles file')
    .optional(),
  /** the basemap's coordinates: wgs84 (also CGCS2000, e.g. 天地图) or gcj02 (AMap, Tencent) */
  BASEMAP_CRS: z.enum(['wgs84', 'cgcs2000', 'gcj02']).default('wgs84'),
  BASEMAP_ATTRIBUTION: z.string().optional(),
  BASEMAP_MAX_ZOOM: z.coerce.number().int().min(1).max(24).default(18),
  /** the red/black list's weights, e.g. incidentRate=30,change=20 (the rest keep their defaults) */
  RANKING_WEIGHTS: z
    .string()
    .transform((s, ctx) => {
      try {
        return parseWeights(s);
      } catch (e) {
        ctx.addIssue({ code: 'custom', message: (e as Error).message });
        return z.NEVER;
      }
    })
    .default(DEFAULT_RANKING.weights),
  /** how many communities the red list and the black list each name */
  RANKING_LIST_SIZE: z.coerce.number().int().min(1).max(20).default(DEFAULT_RANKING.listSize),
  /** signs session cookies; made at first start and kept in the database when unset */
  AUTH_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  /** the demo accounts' password (demo mode); a random one is printed once when unset */
  PINGAN_DEMO_PASSWORD: z.string().min(12, 'must be at least 12 characters').optional(),
  /** a session unused this long ends */
  SESSION_IDLE_MINUTES: z.coerce.number().int().min(1).max(1440).default(30),
  /** a session ends this long after sign-in (displays excepted) */
  SESSION_ABSOLUTE_HOURS: z.coerce.number().min(1).max(168).default(12),
  /** served over TLS (directly or behind a TLS proxy): Secure cookies and HSTS */
  TLS: z.enum(['on', 'off']).default('off'),
  /** the MLPS password switch: upper, lower, digit and symbol required */
  PASSWORD_COMPLEXITY: z.enum(['on', 'off']).default('off'),
  /** the MLPS rotation switch: days after which a password must be changed (0: off) */
  PASSWORD_MAX_AGE_DAYS: z.coerce.number().int().min(0).max(3650).default(0),
  /** behind a TLS reverse proxy: trust its X-Forwarded-* headers (true, a hop count, or addresses) */
  TRUST_PROXY: z.string().optional(),
  /**
   * The origin(s) browsers open the dashboard at, comma-separated: changes are accepted only from
   * these (CSRF). Unset: the listen address (see `publicOrigins`).
   */
  PUBLIC_ORIGIN: z
    .string()
    .transform((s, ctx) => {
      const out: string[] = [];
      for (const part of s
        .split(',')
        .map((p) => p.trim())
        .filter(Boolean)) {
        const problem = originProblem(part);
        if (problem) {
          ctx.addIssue({ code: 'custom', message: `"${part}" ${problem}` });
          return z.NEVER;
        }
        out.push(new URL(part).origin);
      }
      if (!out.length) {
        ctx.addIssue({ code: 'custom', message: 'names no origin' });
        return z.NEVER;
      }
      return out;
    })
    .optional(),
  /** sign-in attempts a minute per client address */
  RATE_LIMIT_LOGIN: z.coerce.number().int().min(1).max(10_000).default(10),
  /** API calls a minute per user (each call of a batch counts) */
  RATE_LIMIT_API: z.coerce.number().int().min(10).max(100_000).default(1200),
  /** days the audit trail is kept (at least 180) */
  AUDIT_RETENTION_DAYS: z.coerce.number().int().min(180).max(3650).default(365),
  /** how long one analysis (Gi*, what-if, geometry check, post search) may compute, in seconds */
  COMPUTE_DEADLINE_S: z.coerce.number().int().min(1).max(600).default(20),
  /** worker threads for analyses (the HTTP thread never computes them) */
  COMPUTE_THREADS: z.coerce.number().int().min(1).max(16).default(2),
  /** each analysis worker's heap limit in MB: past it the analysis is refused, the server lives on */
  COMPUTE_MEMORY_MB: z.coerce.number().int().min(64).max(8192).default(512),
  /** where the audit chain's head is copied to (default: audit-anchor.jsonl in DATA_DIR) */
  AUDIT_ANCHOR_FILE: z.string().min(1).optional(),
  /** minutes between two copies of the audit chain's head while the server runs */
  AUDIT_ANCHOR_MINUTES: z.coerce.number().int().min(1).max(1440).default(15),
  /** a JSON file of a feed's category labels to category codes, e.g. { "盗窃警情": "criminal" } */
  INGEST_CATEGORY_MAP: z.string().min(1).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

/** Why `text` is not an origin (scheme, host and optional port only), or null. */
function originProblem(text: string): string | null {
  let u: URL;
  try {
    u = new URL(text);
  } catch {
    return 'is not a URL (e.g. https://pingan.example.gov.cn)';
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:')
    return 'must start with http:// or https://';
  if (u.pathname !== '/' || u.search || u.hash || u.username || u.password)
    return 'must be an origin only: scheme, host and port, no path';
  return null;
}

const WILDCARD_HOSTS = new Set(['0.0.0.0', '::', '[::]']);

/** Settings that are each valid but together leave the dashboard unusable: refused at start. */
const checkedSchema = envSchema.superRefine((env, ctx) => {
  if (env.TLS === 'on' && env.TRUST_PROXY === undefined)
    ctx.addIssue({
      code: 'custom',
      path: ['TRUST_PROXY'],
      message:
        'must be set when TLS=on: the server speaks plain HTTP behind a TLS reverse proxy, and ' +
        "without trusting its X-Forwarded-* headers every client would share the proxy's " +
        'address (one rate limit for all) (e.g. TRUST_PROXY=1)',
    });
  if (env.TLS === 'on' && !env.PUBLIC_ORIGIN)
    ctx.addIssue({
      code: 'custom',
      path: ['PUBLIC_ORIGIN'],
      message:
        'must be set when TLS=on: the https:// address browsers open (e.g. ' +
        'https://pingan.example.gov.cn); changes from any other origin are refused',
    });
  else if (WILDCARD_HOSTS.has(env.HOST) && !env.PUBLIC_ORIGIN)
    ctx.addIssue({
      code: 'custom',
      path: ['PUBLIC_ORIGIN'],
      message: `must be set when HOST is ${env.HOST}: the address browsers open (e.g. http://192.168.1.20:${env.PORT || 3000}); changes from any other origin are refused`,
    });
});

export type Env = z.infer<typeof envSchema>;

/**
 * The origins browser changes are accepted from: PUBLIC_ORIGIN when set, else the listen
 * address (and its `localhost` name for a loopback address).
 */
export function publicOrigins(configured: string[] | undefined, host: string, port: number) {
  if (configured?.length) return configured;
  const h = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  const own = `http://${h}:${port}`;
  if (h === '127.0.0.1' || h === '[::1]' || WILDCARD_HOSTS.has(host))
    return [
      ...new Set([
        ...(WILDCARD_HOSTS.has(host) ? [] : [own]),
        `http://127.0.0.1:${port}`,
        `http://localhost:${port}`,
      ]),
    ];
  if (h === 'localhost') return [own, `http://127.0.0.1:${port}`];
  return [own];
}

export function readEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const cleaned = Object.fromEntries(
    Object.entries(source).filter(([, v]) => v !== undefined && v !== ''),
  );
  const parsed = checkedSchema.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`invalid configuration in the environment:\n${lines.join('\n')}`);
  }
  return parsed.data;
}
