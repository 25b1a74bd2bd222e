/**
 * HTTP hardening: security headers (CSP without inline scripts, HSTS under TLS, nosniff, frames
 * refused, referrer policy), CSRF defence for cookie sessions, and rate limits.
 *
 * CSRF: a mutation (POST to /trpc) must come from one of the public origins (the Origin header,
 * which browsers always send on POST, compared with PUBLIC_ORIGIN, never with the request's own
 * Host header) and carry the `x-trpc-source` header, which a cross-site form cannot set; its body
 * must be JSON (a form cannot send JSON). A request that carries an API token
 * (`Authorization: Bearer`, a feed's) and no cookie is not a browser's: no page can make a
 * browser send that header to another origin, so the check does not apply to it.
 *
 * Rate limits, counted before anything else runs, in one-minute windows (on a server database
 * counted across every instance on it: rateCounts.ts):
 * - sign-in: the calls that check a password or a second-factor code, per client address,
 *   whatever else the request carries (another procedure first in a batch, any cookie); those
 *   calls must also be sent alone, never in a batch;
 * - API: every call counts (a batch of 20 is 20 calls), per signed-in user, or per address when
 *   the request carries no verifiable session cookie (a decoy cookie changes nothing). Only a
 *   request that is nothing but `system.health` is exempt.
 * Refusals are written to the audit trail: the first refused request of each address or user in a
 * window (not every one: a flood of refusals must not become a flood of rows), and CSRF refusals
 * once a minute per address and reason.
 */
import { randomBytes } from 'node:crypto';
import helmet from '@fastify/helmet';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { LRUCache } from 'lru-cache';
import { recordAudit } from './audit/audit';
import { sessionKeyResolver } from './auth/sessionKey';
import { bearerToken } from './auth/tokens';
import type { Basemap } from './basemap';
import type { Database } from './db/database';
import { rateCounter, WINDOW_MS } from './rateCounts';
import { publicOrigins } from './env';
import { loggableError } from './db/errors';

/** The routes a browser uploads files to: CSRF-checked like a mutation. */
const IMPORT_PATHS = new Set(['/api/import', '/api/import/inspect']);

export interface RateLimits {
  /** sign-in attempts per minute per client address */
  login: number;
  /** API calls per minute per user (per address without a session) */
  api: number;
}

export const DEFAULT_LIMITS: RateLimits = { login: 10, api: 1200 };

/** The procedures that check a password or a second-factor code: never batched, rate-limited. */
export const CREDENTIAL_PROCEDURES: ReadonlySet<string> = new Set([
  'auth.login',
  'auth.totpSetup',
  'auth.totpVerify',
  'auth.changePassword',
]);

export interface HardeningOptions {
  tls: boolean;
  basemap: Basemap;
  limits: RateLimits;
  db: Database;
  /** the cookie secret: a session cookie is trusted for rate limiting only when signed with it */
  secret: string;
  /** the origins browser changes may come from (PUBLIC_ORIGIN); unset: the listen address */
  publicOrigins?: string[];
}

/** The origins the browser may fetch the basemap from, beyond our own. */
function basemapSources(b: Basemap): string[] {
  if (b.kind === 'style') return ['https:'];
  if (b.kind === 'tiles')
    return b.tiles.flatMap((t) => {
      try {
        return [new URL(t.replace(/\{[a-z]+\}/g, '0')).origin];
      } catch {
        return [];
      }
    });
  return [];
}

/** The tRPC calls of a request, as the tRPC adapter will see them; null when not a tRPC call. */
export function trpcCalls(req: FastifyRequest): { paths: string[]; batch: boolean } | null {
  if (req.routeOptions.url !== '/trpc/:path') return null;
  const path = (req.params as { path?: string }).path ?? '';
  const query = req.url.includes('?') ? req.url.slice(req.url.indexOf('?') + 1) : '';
  const batch = new URLSearchParams(query).get('batch') === '1';
  return { paths: batch ? path.split(',') : [path], batch };
}

/** The tRPC error body for a refusal made before tRPC (one per call of a batch). */
function trpcError(calls: string[], batch: boolean, status: number, message: string) {
  const code = status === 429 ? 'TOO_MANY_REQUESTS' : status === 400 ? 'BAD_REQUEST' : 'FORBIDDEN';
  const error = {
    message,
    code: status === 429 ? -32029 : status === 400 ? -32600 : -32003,
    data: { code, httpStatus: status },
  };
  return batch ? calls.map(() => ({ error })) : { error };
}

/** A short description of the request for an audit row (bounded: paths can be 5,000 characters). */
function shortPath(req: FastifyRequest) {
  const p = req.url.split('?')[0] ?? '';
  return p.length > 200 ? `${p.slice(0, 200)}… (${p.length} characters)` : p;
}

export async function registerHardening(app: FastifyInstance, o: HardeningOptions) {
  const extra = basemapSources(o.basemap);
  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        // React and the map set styles through the DOM; no inline <style> markup of ours
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:', ...extra],
        // deck.gl fetches its icon atlases from data: URLs
        connectSrc: ["'self'", 'data:', 'blob:', ...extra],
        workerSrc: ["'self'", 'blob:'],
        fontSrc: ["'self'", 'data:'],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        ...(o.tls ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    // no framing at all, said the same way to old browsers as frame-ancestors says it to new ones
    frameguard: { action: 'deny' },
    // HSTS only where there is TLS: on plain HTTP it would lock browsers out
    strictTransportSecurity: o.tls ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    referrerPolicy: { policy: 'same-origin' },
    crossOriginEmbedderPolicy: false,
  });

  const windows = rateCounter(o.db, (err) =>
    app.log.warn(loggableError(err), 'rate-limit counts unavailable: counting here alone'),
  );
  const userOfCookie = sessionKeyResolver(o.db, o.secret);
  // CSRF refusals already written to the trail this minute (address and reason)
  const csrfAudited = new LRUCache<string, true>({ max: 10_000, ttl: WINDOW_MS });

  let origins: Set<string> | undefined;
  const allowedOrigins = () => {
    if (origins) return origins;
    const addr = app.server.address();
    const bound = addr && typeof addr === 'object' ? { host: addr.address, port: addr.port } : null;
    const list = publicOrigins(o.publicOrigins, bound?.host ?? '127.0.0.1', bound?.port ?? 0);
    // before listening there is no port yet: do not keep a list made without one
    if (bound || o.publicOrigins?.length) origins = new Set(list);
    return new Set(list);
  };

  const refusal = (
    req: FastifyRequest,
    action: string,
    detail: Record<string, unknown>,
    user: string | null,
  ) =>
    recordAudit(o.db, {
      userId: user,
      action,
      outcome: 'denied',
      ip: req.ip,
      detail: { ...detail, path: shortPath(req) },
    }).catch((err: unknown) => req.log.error(err, `audit row for a refused ${action} not written`));

  app.addHook('onRequest', async (req, reply) => {
    const isApi = req.url.startsWith('/api/') || req.url.startsWith('/api?');
    const isTrpc = req.url.startsWith('/trpc');
    if (!isApi && !isTrpc) return;
    const trpc = trpcCalls(req);
    const calls = trpc?.paths ?? null;
    const refuse = (status: number, message: string, retryS?: number) => {
      if (retryS) reply.header('retry-after', String(retryS));
      return reply
        .code(status)
        .send(trpcError(calls ?? [''], trpc?.batch ?? false, status, message));
    };

    // sign-in: every call that checks a credential counts, whatever comes with it
    const credentials = calls?.filter((c) => CREDENTIAL_PROCEDURES.has(c)).length ?? 0;
    if (credentials) {
      const r = await windows.take(`login|${req.ip}`, credentials, o.limits.login);
      if (r.refused) {
        if (r.firstRefusal)
          await refusal(
            req,
            'auth.login',
            { reason: `rate limit: more than ${o.limits.login} sign-in attempts a minute` },
            null,
          );
        return refuse(
          429,
          `too many sign-in attempts: at most ${o.limits.login} a minute from one address; try again in ${r.retryS} seconds`,
          r.retryS,
        );
      }
    }

    // the API: each call counts, for the user or (without a verifiable session) the address
    const healthOnly = calls !== null && calls.every((c) => c === 'system.health');
    if (!healthOnly) {
      const user = await userOfCookie(req.headers.cookie);
      const key = user ? `user|${user}` : `ip|${req.ip}`;
      const r = await windows.take(key, calls?.length ?? 1, o.limits.api);
      if (r.refused) {
        if (r.firstRefusal)
          await refusal(
            req,
            'request.rate_limit',
            {
              reason: `rate limit: more than ${o.limits.api} calls a minute`,
              calls: calls?.length ?? 1,
            },
            user,
          );
        const message = `too many requests: at most ${o.limits.api} a minute; try again in ${r.retryS} seconds`;
        return isTrpc
          ? refuse(429, message, r.retryS)
          : reply.code(429).header('retry-after', String(r.retryS)).send({ error: message });
      }
    }

    // a call that checks a credential goes alone: one request, one attempt
    if (credentials && calls && calls.length > 1) {
      const names = [...new Set(calls.filter((c) => CREDENTIAL_PROCEDURES.has(c)))].join(', ');
      await refusal(
        req,
        'auth.login',
        { reason: `${names} sent in a batch`, calls: calls.length },
        null,
      );
      return refuse(400, `${names} cannot be batched: send it alone, in a request of its own`);
    }

    // a file upload is a change too; its body is the file
    const isUpload = IMPORT_PATHS.has(req.url.split('?')[0]!);
    if (req.method !== 'POST' || !(isTrpc || isUpload)) return;
    if (bearerToken(req.headers.authorization) && !req.headers.cookie) return;
    const origin = req.headers.origin;
    const type = req.headers['content-type'] ?? '';
    const problem = !req.headers['x-trpc-source']
      ? 'a request from this application must carry the x-trpc-source header'
      : !origin || !allowedOrigins().has(origin)
        ? `cross-origin request refused (Origin ${origin ?? 'missing'} is not one of this server's public origins; see PUBLIC_ORIGIN)`
        : isUpload
          ? /^application\/octet-stream\b/.test(type)
            ? null
            : 'the body must be the file (application/octet-stream)'
          : !/^application\/json\b/.test(type)
            ? 'the body must be JSON'
            : null;
    if (problem) {
      const reason = problem.startsWith('cross-origin') ? 'cross-origin' : problem;
      const key = `${req.ip}|${reason}`;
      if (!csrfAudited.has(key)) {
        csrfAudited.set(key, true);
        await refusal(
          req,
          'request.csrf',
          { reason, origin: origin ? origin.slice(0, 200) : null },
          null,
        );
      }
      return refuse(403, problem);
    }
  });

  app.setErrorHandler((err: { statusCode?: number; message: string }, req, reply) => {
    if (err.statusCode && err.statusCode < 500) return reply.code(err.statusCode).send(err);
    const id = randomBytes(6).toString('hex');
    req.log.error({ errorId: id, err: loggableError(err) }, `internal error (id ${id})`);
    return reply.code(500).send({ error: `internal error (id ${id})` });
  });
}
