/**
 * The HTTP routes an admin brings an agency's files in through (services/fileImport.ts). The
 * body is the file itself (application/octet-stream), streamed to a temporary file while its
 * SHA-256 is taken, never held in memory; the options travel in the query:
 *
 * - POST /api/import/inspect?layer=cameras&name=台账.csv[&sheet=…][&x=…&y=…]: the file's
 *   columns, encoding, suggested mapping, declared coordinate system and guesses, a sample;
 * - POST /api/import?layer=…&name=…&crs=gcj02&commit=0|1&repair=0|1[&mapping={json}]
 *   [&mappingName=…][&source=…]: a dry run or a commit, answering the import's report.
 *
 * One import at a time per server: a second is answered 409 while one runs (an import holds a
 * transaction over the layer it replaces). A browser's request must pass the CSRF checks of a
 * mutation (hardening.ts).
 */
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AuditOutcome } from './audit/audit';
import type { SessionUser } from './auth/session';
import type { Database } from './db/database';
import { importReason } from '../domain/importReasons';
import { BadInput, codedBadInput, codedError, Conflict, DomainError, InvalidInput } from './errors';
import type { Permission } from '../domain/policy';
import { IMPORT_LAYERS } from './files/read/mapping';
import { importFile, inspectFile } from './services/fileImport';

/** The largest file a browser may upload (the command line reads files of any size). */
export const IMPORT_UPLOAD_LIMIT = 200 * 1024 * 1024;

export interface ImportRouteHelpers {
  db: Database;
  routeUser(
    req: FastifyRequest,
    reply: FastifyReply,
    permission: Exclude<Permission, 'public'>,
    action: string,
  ): Promise<SessionUser | null>;
  auditRoute(
    req: FastifyRequest,
    user: SessionUser | null,
    action: string,
    outcome: AuditOutcome,
    detail: unknown,
  ): Promise<void>;
  routeFailure(req: FastifyRequest, reply: FastifyReply, err: unknown): unknown;
}

const flag = z.enum(['0', '1']).transform((v) => v === '1');
const text = (max: number) => z.string().min(1).max(max);
const fileQuery = z
  .object({
    layer: z.enum(IMPORT_LAYERS),
    name: text(255),
    sheet: text(255).optional(),
    x: text(255).optional(),
    y: text(255).optional(),
  })
  .refine((q) => (q.x === undefined) === (q.y === undefined), {
    message: 'x and y are given together',
    path: ['x'],
  });
const importQuery = fileQuery.and(
  z.object({
    crs: text(40).optional(),
    commit: flag,
    repair: flag.default(false),
    mapping: z
      .string()
      .max(20_000)
      .transform((s, ctx) => {
        try {
          const m = JSON.parse(s) as unknown;
          const ok =
            m &&
            typeof m === 'object' &&
            !Array.isArray(m) &&
            Object.values(m).every((v) => v === null || (typeof v === 'string' && v.length <= 255));
          if (ok) return m as Record<string, string | null>;
        } catch {
          // told below
        }
        ctx.addIssue({ code: 'custom', message: 'must be a JSON object of field: column or null' });
        return z.NEVER;
      })
      .optional(),
    mappingName: text(64).optional(),
    source: text(64).optional(),
  }),
);

function parseQuery<T>(schema: z.ZodType<T>, query: unknown): T {
  const parsed = schema.safeParse(query);
  if (parsed.success) return parsed.data;
  throw new InvalidInput(
    parsed.error.issues.map((i) => ({ field: i.path.join('.') || 'query', message: i.message })),
  );
}

/** Streams the body to a temporary file, refusing more than the upload limit. */
async function receive(req: FastifyRequest): Promise<{ file: string; sha256: string }> {
  const body = req.body as Readable | undefined;
  if (!body || typeof (body as Readable).pipe !== 'function')
    throw codedBadInput('body', importReason('body_not_file'));
  const file = path.join(os.tmpdir(), `pingan-import-${randomBytes(8).toString('hex')}`);
  const hash = createHash('sha256');
  let size = 0;
  const count = new Transform({
    transform(chunk: Buffer, _enc, done) {
      size += chunk.length;
      if (size > IMPORT_UPLOAD_LIMIT)
        return done(
          codedBadInput('body', importReason('upload_too_large', { max: IMPORT_UPLOAD_LIMIT })),
        );
      hash.update(chunk);
      done(null, chunk);
    },
  });
  try {
    await pipeline(body, count, createWriteStream(file));
  } catch (err) {
    await rm(file, { force: true });
    if (err instanceof DomainError) throw err;
    const r = importReason('upload_cut');
    throw new BadInput('body', r.reason, { cause: err, coded: { code: r.code, params: r.params } });
  }
  if (!size) {
    await rm(file, { force: true });
    throw codedBadInput('body', importReason('file_empty'));
  }
  return { file, sha256: hash.digest('hex') };
}

export function registerImportRoutes(app: FastifyInstance, h: ImportRouteHelpers) {
  let running = false;

  // the file as a stream: the routes write it to disk as it comes
  app.addContentTypeParser(
    'application/octet-stream',
    { bodyLimit: IMPORT_UPLOAD_LIMIT },
    (_req, payload, done) => done(null, payload),
  );

  const handle =
    (
      action: string,
      run: (user: SessionUser, query: unknown, file: string, sha256: string) => Promise<unknown>,
    ) =>
    async (req: FastifyRequest, reply: FastifyReply) => {
      const user = await h.routeUser(req, reply, 'data:import', action);
      if (!user) return reply;
      if (running) {
        req.raw.resume();
        return h.routeFailure(req, reply, codedError(Conflict, importReason('import_running')));
      }
      running = true;
      let received: { file: string; sha256: string } | undefined;
      try {
        received = await receive(req);
        return reply.send(await run(user, req.query, received.file, received.sha256));
      } catch (err) {
        await h.auditRoute(req, user, action, 'failed', {
          query: req.query,
          reason: err instanceof DomainError ? err.message : 'not imported',
        });
        if (err instanceof InvalidInput)
          return reply.code(400).send({ error: err.message, fields: err.fields });
        // a refusal in the import vocabulary carries its code: the page renders it in its language
        return h.routeFailure(req, reply, err);
      } finally {
        running = false;
        if (received) await rm(received.file, { force: true });
      }
    };

  app.post(
    '/api/import/inspect',
    { bodyLimit: IMPORT_UPLOAD_LIMIT },
    handle('data.inspect', async (_user, query, file) => {
      const q = parseQuery(fileQuery, query);
      return inspectFile(
        h.db,
        { path: file },
        {
          name: q.name,
          layer: q.layer,
          sheet: q.sheet,
          coordinates: q.x && q.y ? { x: q.x, y: q.y } : undefined,
        },
      );
    }),
  );

  app.post(
    '/api/import',
    { bodyLimit: IMPORT_UPLOAD_LIMIT },
    handle('data.import', async (user, query, file, sha256) => {
      const q = parseQuery(importQuery, query);
      return importFile(
        h.db,
        { path: file },
        {
          name: q.name,
          layer: q.layer,
          sheet: q.sheet,
          coordinates: q.x && q.y ? { x: q.x, y: q.y } : undefined,
          crs: q.crs,
          mapping: q.mapping,
          mappingName: q.mappingName,
          source: q.source,
          commit: q.commit,
          repair: q.repair,
          sha256,
          actor: { userId: user.id, username: user.username, role: user.role },
        },
      );
    }),
  );
}
