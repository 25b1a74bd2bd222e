/**
 * HTTP hardening: security headers (CSP without inline scripts, HSTS under TLS, nosniff,
 * frame-ancestors, referrer policy), CSRF defence for cookie sessions, and rate limits.
 *
 * CSRF: a mutation (POST to /trpc) must come from our own origin (the Origin header, which
 * browsers always send on POST) and carry the `x-trpc-source` header, which a cross-site form
 * cannot set; its body must be JSON (a form cannot send JSON).
 */
import { randomBytes } from 'node:crypto';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Basemap } from './basemap';
import { loggableError } from './db/errors';

export interface RateLimits {
  /** sign-in attempts per minute per client address */
  login: number;
  /** API requests per minute per user (per address without a session) */
  api: number;
}

export const DEFAULT_LIMITS: RateLimits = { login: 10, api: 300 };

export interface HardeningOptions {
  tls: boolean;
  basemap: Basemap;
  limits: RateLimits;
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

/** The tRPC error body for a refusal made before tRPC (one per call of a batch). */
function trpcError(req: FastifyRequest, status: number, code: string, message: string) {
  const error = {
    message,
    code: status === 429 ? -32029 : -32003,
    data: { code, httpStatus: status },
  };
  const calls = (req.url.split('?')[0] ?? '').replace(/^\/trpc\//, '').split(',').length;
  return /[?&]batch=1/.test(req.url) ? Array.from({ length: calls }, () => ({ error })) : { error };
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
    // HSTS only where there is TLS: on plain HTTP it would lock browsers out
    strictTransportSecurity: o.tls ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    referrerPolicy: { policy: 'same-origin' },
    crossOriginEmbedderPolicy: false,
  });

  app.addHook('onRequest', async (req, reply) => {
    if (req.method !== 'POST' || !req.url.startsWith('/trpc')) return;
    const origin = req.headers.origin;
    const own = `${req.protocol}://${req.headers.host}`;
    const problem = !req.headers['x-trpc-source']
      ? 'a request from this application must carry the x-trpc-source header'
      : origin !== own
        ? `cross-origin request refused (Origin ${origin ?? 'missing'})`
        : !/^application\/json\b/.test(req.headers['content-type'] ?? '')
          ? 'the body must be JSON'
          : null;
    if (problem) return reply.code(403).send(trpcError(req, 403, 'FORBIDDEN', problem));
  });

  await app.register(rateLimit, {
    global: true,
    timeWindow: 60_000,
    hook: 'onRequest',
    allowList: (req) =>
      (!req.url.startsWith('/trpc') && !req.url.startsWith('/api')) ||
      req.url.startsWith('/trpc/system.health'),
    max: (req) => (req.url.startsWith('/trpc/auth.login') ? o.limits.login : o.limits.api),
    keyGenerator: (req) => {
      if (req.url.startsWith('/trpc/auth.login')) return `login|${req.ip}`;
      // per session where there is one: each user their own budget
      const token = /(?:^|;\s*)[\w.-]*session_token=([^;]+)/.exec(req.headers.cookie ?? '')?.[1];
      return token ? `session|${token.split('.')[0]}` : `ip|${req.ip}`;
    },
    errorResponseBuilder: (_req, ctx) => ({
      statusCode: 429,
      message: `too many requests: at most ${ctx.max} a minute; try again in ${ctx.after}`,
    }),
  });
  app.setErrorHandler((err: { statusCode?: number; message: string }, req, reply) => {
    if (err.statusCode === 429 && req.url.startsWith('/trpc'))
      return reply.code(429).send(trpcError(req, 429, 'TOO_MANY_REQUESTS', err.message));
    if (err.statusCode && err.statusCode < 500) return reply.code(err.statusCode).send(err);
    const id = randomBytes(6).toString('hex');
    req.log.error({ errorId: id, err: loggableError(err) }, `internal error (id ${id})`);
    return reply.code(500).send({ error: `internal error (id ${id})` });
  });
}
