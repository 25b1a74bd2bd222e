/**
 * The HTTP server: tRPC at /trpc, bulk binary routes at /api, and the built client at /.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import { fastifyTRPCPlugin, type FastifyTRPCPluginOptions } from '@trpc/server/adapters/fastify';
import { fromNodeHeaders } from 'better-auth/node';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { z } from 'zod';
import { scheduleAuditAnchors, type AnchorOptions } from './audit/anchor';
import { auditWritable, recordAudit, type AuditOutcome } from './audit/audit';
import { createAuth, DEFAULT_AUTH, type AuthConfig } from './auth/auth';
import { authorize } from './auth/authorize';
import { sessionUser, type SessionUser } from './auth/session';
import { bearerToken, tokenUser } from './auth/tokens';
import type { Basemap } from './basemap';
import { DEFAULT_LIMITS, registerHardening, type RateLimits } from './hardening';
import type { Database } from './db/database';
import { primaryOnly, type ReadRoute } from './db/readReplica';
import { closeCompute } from './compute/pool';
import { categoryTable, ingestIncidents } from './services/ingest';
import { startLiveDemo, type LiveDemo, type LiveDemoOptions } from './services/liveDemo';
import { dataStatus } from './dataset/status';
import { databaseFailure, loggableError } from './db/errors';
import { BadInput, DomainError, Forbidden, InvalidInput, type DomainErrorKind } from './errors';
import { bbox, category, checkWindow, nulProblem, windowShape } from './inputs';
import { appRouter, type AppRouter } from './router';
import { incidentsToArrow } from './services/arrow';
import { dataVersions } from './services/dataVersions';
import { ARROW_FORMAT, dataEtag, etagMatches, REVALIDATE } from './services/etag';
import { parseExportParams, prepareExport, type PreparedExport } from './services/dataExport';
import { FORMAT_FILES, writeTable } from './files/write';
import { registerImportRoutes } from './importRoutes';
import { endWhenStalled } from './stalledStreams';
import * as incidents from './services/incidents';
import { MAX_INGEST_RECORDS } from '../domain/ingest';
import type { Permission } from '../domain/policy';
import { DEFAULT_RANKING, type RankingConfig } from '../domain/rankingScore';
import type { IncidentCategory } from '../domain/vocabulary';
import {
  AUDIT_UNAVAILABLE,
  createContextInner,
  describeZodError,
  errorId,
  logUnexpected,
} from './trpc';

/** Calls in one batched request; the client's batch link uses the same. */
export const MAX_BATCH = 20;

export const CLIENT_DIR = fileURLToPath(new URL('../dist/client', import.meta.url));

export interface AppOptions {
  db: Database;
  /** where heavy reads go: a streaming replica (READ_DATABASE_URL) or the primary (default) */
  reads?: ReadRoute;
  /** pino log level; 'silent' in tests */
  logLevel?: string;
  /** where the built client lives; it is served at / when present */
  clientDir?: string;
  basemap?: Basemap;
  /** the red/black list's weights and length */
  ranking?: RankingConfig;
  /** accounts and sessions: the cookie secret and the session lifetimes */
  auth?: AuthConfig;
  /** the clock (tests move it) */
  now?: () => Date;
  /** trust X-Forwarded-* from a reverse proxy (TRUST_PROXY) */
  trustProxy?: boolean | string;
  /** requests a minute: sign-ins per address, API calls per user */
  limits?: RateLimits;
  /** the origins browser changes may come from (PUBLIC_ORIGIN); unset: the listen address */
  publicOrigins?: string[];
  /** the local PMTiles file served under /basemap/, when the basemap is one */
  pmtilesFile?: string;
  /** where the log goes (default: standard output); tests read it */
  logStream?: { write(line: string): void };
  /**
   * The most an embedded database query may take before the request answers 503 (default
   * EMBEDDED_QUERY_DEADLINE_MS; 0: none). The server database has its own timeouts.
   */
  queryDeadlineMs?: number;
  /** writes the audit chain's head to a file the operator keeps, at start and on a schedule */
  auditAnchor?: AnchorOptions;
  /** a feed's category codes and labels to category codes (default: codes and zh-CN labels) */
  ingestCategories?: ReadonlyMap<string, IncidentCategory>;
  /** the live demo (DEMO_LIVE): simulated calls through the ingest path while the server runs */
  liveDemo?: LiveDemoOptions;
}

/** The largest body POST /api/incidents/ingest takes (5,000 records with long addresses). */
export const INGEST_BODY_LIMIT = 8 * 1024 * 1024;

/** The HTTP status of each domain error (server/errors.ts) on the plain HTTP routes. */
export const HTTP_STATUS: Readonly<Record<DomainErrorKind, number>> = {
  'bad-input': 400,
  unauthorized: 401,
  forbidden: 403,
  'not-found': 404,
  conflict: 409,
  'too-large': 413,
  timeout: 408,
  unavailable: 503,
};

/**
 * A domain error's answer: its message, and its code and parameters when it has them (a page
 * renders the code in its language), with where in a file the problem lies when it says.
 */
export function domainAnswer(err: DomainError): Record<string, unknown> {
  if (!err.coded) return { error: err.message };
  const where = (err as { where?: unknown }).where;
  return {
    error: err.message,
    code: err.coded.code,
    params: err.coded.params,
    ...(where && typeof where === 'object' && Object.keys(where).length ? { where } : {}),
  };
}

/** The embedded database's per-query deadline in the running server. */
export const EMBEDDED_QUERY_DEADLINE_MS = 30_000;

/**
 * What never reaches the log: session cookies, authorization headers, cookies being set. The
 * default request serialiser leaves headers out anyway; this holds whatever logs them.
 */
export const LOG_REDACT = [
  'req.headers.cookie',
  'req.headers.authorization',
  'req.headers["proxy-authorization"]',
  'res.headers["set-cookie"]',
  'headers.cookie',
  'headers.authorization',
  'headers["set-cookie"]',
  'request.headers.cookie',
  'request.headers.authorization',
];

const arrowQuery = z
  .object({
    ...windowShape,
    categories: z
      .string()
      .optional()
      .transform((s) => (s ? s.split(',').map((c) => c.trim()) : undefined))
      .pipe(z.array(category).min(1).optional()),
    // west,south,east,north: the incidents of an area alone (points of a window too large to
    // load whole, where the map is zoomed in)
    bbox: z
      .string()
      .max(200)
      .optional()
      .transform((s) => (s ? s.split(',').map((v) => (v.trim() ? Number(v) : NaN)) : undefined))
      .pipe(bbox.optional()),
  })
  .superRefine(checkWindow);

/**
 * A Content-Disposition for a download: the name in UTF-8 (RFC 5987 filename*) and an ASCII
 * name for clients that read only filename.
 */
export function contentDisposition(name: string, ascii: string) {
  const encoded = encodeURIComponent(name).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${ascii.replace(/[^\x20-\x7e]|["\\]/g, '_')}"; filename*=UTF-8''${encoded}`;
}

export async function buildApp(opts: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: {
      level: opts.logLevel ?? 'info',
      redact: { paths: LOG_REDACT, censor: '(redacted)' },
      ...(opts.logStream ? { stream: opts.logStream } : {}),
    },
    // batched tRPC GETs carry several procedure names in the path
    routerOptions: { maxParamLength: 5000 },
    // the largest honest body is a zone of 10,000 vertices (~0.4 MB)
    bodyLimit: 2 * 1024 * 1024,
    // behind a TLS reverse proxy, X-Forwarded-For and -Proto tell the client's address and scheme
    trustProxy: opts.trustProxy ?? false,
  });
  const startedAt = new Date();
  const reads = opts.reads ?? primaryOnly(opts.db);
  opts.db.setQueryDeadline?.(opts.queryDeadlineMs ?? EMBEDDED_QUERY_DEADLINE_MS);
  if (opts.auditAnchor) scheduleAuditAnchors(app, opts.db, opts.auditAnchor);
  // live streams never end by themselves: on shutdown their connections are cut (close() would
  // wait for them), and the clients reconnect, resuming from their last event id
  const streams = new Set<FastifyRequest>();
  app.addHook('onRequest', async (req, reply) => {
    if (!req.url.startsWith('/trpc/live.')) return;
    streams.add(req);
    // a client that stops reading is cut off after a while (stalledStreams.ts)
    endWhenStalled(reply.raw, {
      onStall: () =>
        req.log.warn(`live stream ${req.url.split('?')[0]} ended: unread for a minute`),
    });
  });
  app.addHook('onResponse', async (req) => {
    streams.delete(req);
  });
  app.addHook('onRequestAbort', async (req) => {
    streams.delete(req);
  });
  app.addHook('preClose', async () => {
    for (const req of streams) req.raw.socket?.destroy();
    streams.clear();
  });
  // the compute pool's workers end with the server (a later call would start a new pool)
  app.addHook('onClose', closeCompute);
  // read once now, so that health answers from memory from the first request on
  await dataStatus(opts.db).catch(() => undefined);
  // without a configured secret (tests, benchmarks) sessions last as long as this process
  const authOpts = opts.auth ?? { ...DEFAULT_AUTH, secret: randomBytes(32).toString('base64url') };
  const auth = createAuth(opts.db, authOpts);
  const now = opts.now ?? (() => new Date());
  const { secret: _secret, ...authConfig } = authOpts;

  /**
   * The user of a request, or null: the signed-in user of its session cookie; a request without
   * cookies (a feed's) is the integration account of its API token (Authorization: Bearer).
   */
  const userOf = (req: FastifyRequest, refresh = true) => {
    const token = req.headers.cookie ? null : bearerToken(req.headers.authorization);
    if (token) return tokenUser(opts.db, token);
    return sessionUser(auth, opts.db, fromNodeHeaders(req.headers), authOpts, now(), refresh);
  };
  const ingestCategories = opts.ingestCategories ?? categoryTable();
  if (opts.liveDemo) {
    // starts once the server is up, stops (its timer cleared, its batch done) when it closes
    let live: LiveDemo | undefined;
    const liveOpts = opts.liveDemo;
    app.addHook('onReady', async () => {
      live = startLiveDemo(opts.db, ingestCategories, {
        now: () => now().getTime(),
        log: (msg) => app.log.info(msg),
        logError: (obj, msg) => app.log.error(obj, msg),
        ...liveOpts,
      });
    });
    app.addHook('onClose', async () => live?.stop());
  }

  await registerHardening(app, {
    tls: authOpts.secure,
    basemap: opts.basemap ?? { kind: 'none' },
    limits: opts.limits ?? DEFAULT_LIMITS,
    db: opts.db,
    secret: authOpts.secret,
    publicOrigins: opts.publicOrigins,
  });

  // everything the API answers is police data: never stored by browsers or proxies, except
  // what a route marks itself as kept by the browser only and revalidated (the Arrow file)
  app.addHook('onSend', async (req, reply) => {
    if (
      (req.url.startsWith('/trpc') || req.url.startsWith('/api')) &&
      reply.getHeader('cache-control') !== REVALIDATE
    )
      reply.header('cache-control', 'no-store');
  });

  await app.register(fastifyTRPCPlugin, {
    prefix: '/trpc',
    trpcOptions: {
      router: appRouter,
      maxBatchSize: MAX_BATCH,
      // a plan draft (zones of up to 10,000 vertices) is too long for a URL: the client sends
      // plan.evaluate by POST; the CSRF checks apply to it like to a mutation
      allowMethodOverride: true,
      // an unexpected error that no procedure middleware saw (the context, the router itself)
      onError: ({ error, path }) => {
        if (error.code === 'INTERNAL_SERVER_ERROR')
          logUnexpected({ error: (obj, msg) => app.log.error(obj, msg) }, error, path);
      },
      createContext: ({ req, res }) => {
        let session: Promise<SessionUser | null> | undefined;
        return createContextInner({
          db: opts.db,
          read: reads.db,
          reads: () => reads.status(),
          data: () => dataStatus(opts.db),
          basemap: opts.basemap ?? { kind: 'none' },
          ranking: opts.ranking ?? DEFAULT_RANKING,
          ingestCategories,
          startedAt,
          log: { error: (obj, msg) => app.log.error(obj, msg) },
          auth,
          authConfig,
          session: () => (session ??= userOf(req)),
          recheckSession: () => userOf(req, false),
          requestHeaders: () => fromNodeHeaders(req.headers),
          ip: req.ip,
          now,
          setCookies: (cookies) => {
            if (cookies.length) res.header('set-cookie', cookies);
          },
        });
      },
    },
  } satisfies FastifyTRPCPluginOptions<AppRouter>);

  /** Records a refusal on an HTTP route; a failure to write it is logged. */
  const auditRoute = async (
    req: FastifyRequest,
    user: SessionUser | null,
    action: string,
    outcome: AuditOutcome,
    detail: unknown,
  ) => {
    try {
      await recordAudit(opts.db, {
        userId: user?.id ?? null,
        username: user?.username ?? null,
        role: user?.role ?? null,
        action,
        outcome,
        ip: req.ip,
        detail,
      });
    } catch (err) {
      req.log.error(
        { err: loggableError(err) },
        `audit row for ${action} (${outcome}) not written`,
      );
    }
  };

  const unavailable = { error: 'the database is unavailable; try again shortly' };
  /**
   * The answer to a failure on an HTTP route: a domain error's status and message (and its code
   * in a vocabulary, with where in a file, when it has them), 503 for the database, else a
   * logged internal error.
   */
  const routeFailure = (req: FastifyRequest, reply: FastifyReply, err: unknown) => {
    if (err instanceof DomainError)
      return reply.code(HTTP_STATUS[err.kind]).send(domainAnswer(err));
    const failure = databaseFailure(err);
    if (failure === 'unavailable' || failure === 'timeout')
      return reply.code(503).send(unavailable);
    if (failure === 'invalid')
      return reply
        .code(400)
        .send({ error: 'invalid query: a value is out of range or not valid for its field' });
    const id = errorId(err instanceof Error ? err : new Error(String(err)));
    req.log.error(
      { errorId: id, err: loggableError(err) },
      `internal error (id ${id}) in ${req.url}`,
    );
    return reply.code(500).send({ error: `internal error (id ${id})` });
  };

  /**
   * The user of a request to an HTTP route, if they may call it (authorize); otherwise the
   * refusal is audited and answered, and null returned.
   */
  const routeUser = async (
    req: FastifyRequest,
    reply: FastifyReply,
    permission: Exclude<Permission, 'public'>,
    action: string,
  ): Promise<SessionUser | null> => {
    let user: SessionUser | null;
    try {
      user = await userOf(req);
    } catch (err) {
      await routeFailure(req, reply, err);
      return null;
    }
    try {
      authorize(user, permission, req.routeOptions.url ?? req.url);
      return user;
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      await auditRoute(req, user, action, 'denied', { reason: err.message });
      await routeFailure(req, reply, err);
      return null;
    }
  };

  app.get('/api/incidents.arrow', async (req, reply) => {
    const action = 'incidents.arrow';
    // the same permission as incidents.heat: a signed-in role with dashboard:read
    const user = await routeUser(req, reply, 'dashboard:read', action);
    if (!user) return reply;
    const nul = nulProblem(req.query);
    const parsed = arrowQuery.safeParse(req.query);
    if (nul || !parsed.success) {
      const fields = nul
        ? [{ field: nul.field, message: nul.message }]
        : parsed.error
          ? describeZodError(parsed.error)
          : [];
      await auditRoute(req, user, action, 'failed', { reason: 'invalid query', fields });
      return reply.code(400).send({
        error: `invalid query: ${fields.map((f) => `${f.field}: ${f.message}`).join('; ')}`,
        fields,
      });
    }
    try {
      // the version and the incidents from one database (the replica or the primary), the
      // version first: the file is never older than the version its ETag names
      const { etag, cols } = await reads.db.transaction(async (tx) => {
        // the area as it is written (a set's order does not count, a bbox's does)
        const etag = dataEtag(ARROW_FORMAT, (await dataVersions(tx)).incidents, {
          ...parsed.data,
          bbox: parsed.data.bbox?.join(','),
        });
        if (etagMatches(req.headers['if-none-match'], etag)) return { etag, cols: null };
        return { etag, cols: await incidents.columns(tx, parsed.data) };
      });
      reply.header('etag', etag).header('cache-control', REVALIDATE);
      // unchanged since the browser's copy: no body
      if (!cols) return reply.code(304).send();
      return reply
        .header('content-type', 'application/vnd.apache.arrow.stream')
        .header('x-incident-count', String(cols.count))
        .send(Buffer.from(incidentsToArrow(cols)));
    } catch (err) {
      return routeFailure(req, reply, err);
    }
  });

  /**
   * A layer, or the incidents of a window and categories, as a file (services/dataExport.ts):
   * GET /api/export?layer=communities&format=shp&crs=EPSG:4543[&from=…&to=…&categories=…].
   * The audit row (who, layer, format, system, window, rows) is written before any data leaves;
   * without it nothing is sent.
   */
  // no HEAD: a HEAD would write an audit row for a file never sent
  app.get('/api/export', { exposeHeadRoute: false }, async (req, reply) => {
    const action = 'data.export';
    // each layer's own permission is checked by prepareExport
    const user = await routeUser(req, reply, 'dashboard:read', action);
    if (!user) return reply;
    let prepared: PreparedExport;
    try {
      const nul = nulProblem(req.query);
      if (nul) throw new InvalidInput([{ field: nul.field, message: nul.message }]);
      prepared = await prepareExport(reads.db, user, parseExportParams(req.query), now());
    } catch (err) {
      await auditRoute(req, user, action, err instanceof Forbidden ? 'denied' : 'failed', {
        query: req.query,
        reason: err instanceof DomainError ? err.message : 'not exported',
      });
      if (err instanceof InvalidInput)
        return reply.code(400).send({ error: err.message, fields: err.fields });
      return routeFailure(req, reply, err);
    }
    try {
      await recordAudit(opts.db, {
        userId: user.id,
        username: user.username,
        role: user.role,
        action,
        object: `layer:${prepared.table.id}`,
        outcome: 'ok',
        ip: req.ip,
        detail: prepared.audit,
      });
    } catch (err) {
      req.log.error({ err: loggableError(err) }, 'export not sent: its audit row was not written');
      return reply.code(503).send({ error: AUDIT_UNAVAILABLE });
    }
    const body = new PassThrough();
    writeTable(prepared.format, prepared.table, prepared.crs, body).catch((err: unknown) => {
      // the head is sent: the client sees the download cut short
      req.log.error({ err: loggableError(err) }, `export of ${prepared.table.id} failed`);
      body.destroy(err instanceof Error ? err : new Error(String(err)));
    });
    return reply
      .header('content-type', FORMAT_FILES[prepared.format].type)
      .header('content-disposition', contentDisposition(prepared.fileName, prepared.asciiFileName))
      .header('x-export-rows', String(prepared.rows))
      .send(body);
  });

  registerImportRoutes(app, { db: opts.db, routeUser, auditRoute, routeFailure });

  // a feed's records, one JSON document a line
  app.addContentTypeParser(
    'application/x-ndjson',
    { parseAs: 'string', bodyLimit: INGEST_BODY_LIMIT },
    (_req, body, done) => {
      const records: unknown[] = [];
      const lines = String(body).split('\n');
      for (let i = 0; i < lines.length; i++) {
        const line = lines[i]!.trim();
        if (!line) continue;
        try {
          records.push(JSON.parse(line));
        } catch {
          // answered by the route, which knows who sent it
          return done(null, new BadInput('body', `line ${i + 1} is not a JSON document`));
        }
      }
      done(null, records);
    },
  );

  /**
   * A feed's batch of incident records (services/ingest.ts), as a JSON array (or { records }) or
   * NDJSON; the same as the procedure incidents.ingest, for senders that do not speak tRPC.
   */
  app.post('/api/incidents/ingest', { bodyLimit: INGEST_BODY_LIMIT }, async (req, reply) => {
    const action = 'incidents.ingest';
    const user = await routeUser(req, reply, 'incidents:ingest', action);
    if (!user) return reply;
    const body = req.body as unknown;
    if (body instanceof BadInput) {
      await auditRoute(req, user, action, 'failed', {
        source: user.username,
        reason: body.message,
      });
      return routeFailure(req, reply, body);
    }
    const records = Array.isArray(body)
      ? body
      : body && typeof body === 'object' && Array.isArray((body as { records?: unknown }).records)
        ? ((body as { records: unknown[] }).records as unknown[])
        : null;
    const source = user.username;
    if (!records) {
      await auditRoute(req, user, action, 'failed', { source, reason: 'not a list of records' });
      return reply.code(400).send({
        error:
          'the body must be a JSON array of records, { "records": [...] }, or NDJSON (application/x-ndjson)',
      });
    }
    if (records.length > MAX_INGEST_RECORDS) {
      await auditRoute(req, user, action, 'failed', { source, records: records.length });
      return reply.code(413).send({
        error: `${records.length} records: at most ${MAX_INGEST_RECORDS} a request; send them in several`,
      });
    }
    try {
      if (!(await auditWritable(opts.db)))
        return reply.code(503).send({ error: AUDIT_UNAVAILABLE });
      const answer = await ingestIncidents(opts.db, source, records, {
        categories: ingestCategories,
        now: now().getTime(),
      });
      await auditRoute(req, user, action, 'ok', { source, counts: answer.counts });
      return answer;
    } catch (err) {
      await auditRoute(req, user, action, 'failed', {
        source,
        records: records.length,
        error: err instanceof DomainError ? err.message : 'not applied',
      });
      return routeFailure(req, reply, err);
    }
  });

  if (opts.pmtilesFile) {
    // one file, with range requests, as PMTiles readers want
    await app.register(fastifyStatic, {
      root: path.dirname(path.resolve(opts.pmtilesFile)),
      prefix: '/basemap/',
      decorateReply: false,
      allowedPath: (p) => p === `/${path.basename(opts.pmtilesFile!)}`,
    });
  }

  const clientDir = opts.clientDir ?? CLIENT_DIR;
  if (existsSync(clientDir)) {
    await app.register(fastifyStatic, {
      root: clientDir,
      // built files carry a hash of their content in the name: a browser keeps them for good and
      // a wall reloading the page fetches only index.html (which is revalidated every time)
      setHeaders: (reply, file) => {
        if (path.relative(clientDir, file).startsWith(`assets${path.sep}`))
          reply.header('cache-control', 'public, max-age=31536000, immutable');
      },
    });
    // client-side routes (/wall, /?view=…) all load the same page
    app.setNotFoundHandler((req, reply) => {
      if (req.method === 'GET' && !req.url.startsWith('/api') && !req.url.startsWith('/trpc'))
        return reply.sendFile('index.html');
      return reply.code(404).send({ error: `no route ${req.method} ${req.url}` });
    });
  }
  return app;
}
