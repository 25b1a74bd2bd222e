/**
 * The HTTP server: tRPC at /trpc, bulk binary routes at /api, and the built client at /.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import { fastifyTRPCPlugin, type FastifyTRPCPluginOptions } from '@trpc/server/adapters/fastify';
import Fastify, { type FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Basemap } from './basemap';
import type { Database } from './db/database';
import { DatabaseUnavailableError } from './db/database';
import { category, checkWindow, windowShape } from './inputs';
import { appRouter, type AppRouter } from './router';
import { incidentsToArrow } from './services/arrow';
import * as incidents from './services/incidents';
import { DEFAULT_RANKING, type RankingConfig } from './services/rankingScore';
import { createContextInner, describeZodError, type AppMeta } from './trpc';

export const CLIENT_DIR = fileURLToPath(new URL('../dist/client', import.meta.url));

export interface AppOptions {
  db: Database;
  meta?: AppMeta;
  /** pino log level; 'silent' in tests */
  logLevel?: string;
  /** where the built client lives; it is served at / when present */
  clientDir?: string;
  basemap?: Basemap;
  /** the red/black list's weights and length */
  ranking?: RankingConfig;
  /** the local PMTiles file served under /basemap/, when the basemap is one */
  pmtilesFile?: string;
}

const arrowQuery = z
  .object({
    ...windowShape,
    categories: z
      .string()
      .optional()
      .transform((s) => (s ? s.split(',').map((c) => c.trim()) : undefined))
      .pipe(z.array(category).min(1).optional()),
  })
  .superRefine(checkWindow);

export async function buildApp(opts: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: { level: opts.logLevel ?? 'info' },
    // batched tRPC GETs carry several procedure names in the path
    routerOptions: { maxParamLength: 5000 },
  });
  const startedAt = new Date();
  const meta = opts.meta ?? {};

  await app.register(fastifyTRPCPlugin, {
    prefix: '/trpc',
    trpcOptions: {
      router: appRouter,
      createContext: () =>
        createContextInner({
          db: opts.db,
          meta,
          basemap: opts.basemap ?? { kind: 'none' },
          ranking: opts.ranking ?? DEFAULT_RANKING,
          startedAt,
          log: { error: (obj, msg) => app.log.error(obj, msg) },
        }),
    },
  } satisfies FastifyTRPCPluginOptions<AppRouter>);

  app.get('/api/incidents.arrow', async (req, reply) => {
    const parsed = arrowQuery.safeParse(req.query);
    if (!parsed.success) {
      const fields = describeZodError(parsed.error);
      return reply.code(400).send({
        error: `invalid query: ${fields.map((f) => `${f.field}: ${f.message}`).join('; ')}`,
        fields,
      });
    }
    try {
      const cols = await incidents.columns(opts.db, parsed.data);
      return reply
        .header('content-type', 'application/vnd.apache.arrow.stream')
        .header('x-incident-count', String(cols.count))
        .header('cache-control', 'no-store')
        .send(Buffer.from(incidentsToArrow(cols)));
    } catch (err) {
      if (err instanceof DatabaseUnavailableError)
        return reply.code(503).send({ error: 'the database is unavailable; try again shortly' });
      throw err;
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
    await app.register(fastifyStatic, { root: clientDir });
    // client-side routes (/wall, /?view=…) all load the same page
    app.setNotFoundHandler((req, reply) => {
      if (req.method === 'GET' && !req.url.startsWith('/api') && !req.url.startsWith('/trpc'))
        return reply.sendFile('index.html');
      return reply.code(404).send({ error: `no route ${req.method} ${req.url}` });
    });
  }
  return app;
}
