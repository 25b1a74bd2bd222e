import { z } from 'zod';
import { MAX_CELL_METERS, MIN_CELL_METERS } from '../../domain/incidentLoad';
import { MAX_INGEST_RECORDS } from '../../domain/ingest';
import { ingestIncidents } from '../services/ingest';
import { bbox, categories, checkWindow, id, windowShape } from '../inputs';
import * as incidents from '../services/incidents';
import { cellsInput, incidentCells, windowSize, windowSizeInput } from '../services/incidentCells';
import { procedure, router } from '../trpc';

const filter = {
  ...windowShape,
  bbox: bbox.optional(),
  categories: categories.optional(),
};

export const incidentsRouter = router({
  list: procedure('incidents:read')
    .input(
      z
        .object({
          ...filter,
          communityId: id.optional(),
          limit: z.number().int().min(1).max(500).default(100),
          cursor: z.string().max(200).optional(),
        })
        .superRefine(checkWindow),
    )
    .query(({ ctx, input }) => incidents.list(ctx.db, input)),

  get: procedure('incidents:read')
    .input(z.object({ id }))
    .query(({ ctx, input }) => incidents.get(ctx.db, input.id)),

  summary: procedure('dashboard:read')
    .input(
      z
        .object({
          ...windowShape,
          groupBy: z.enum(['category', 'subcategory', 'community', 'town', 'month', 'day', 'hour']),
          categories: categories.optional(),
          subcategories: z
            .array(z.string().regex(/^[a-z_]{1,40}$/, 'must be a subcategory code such as fraud'))
            .min(1)
            .max(40)
            .optional(),
          communityId: id.optional(),
        })
        .superRefine(checkWindow)
        .superRefine((v, ctx) => {
          if (!(v.from instanceof Date) || !(v.to instanceof Date)) return;
          const hours = (v.to.getTime() - v.from.getTime()) / 3_600_000;
          if (v.groupBy === 'hour' && hours > 24 * 92)
            ctx.addIssue({
              code: 'custom',
              path: ['groupBy'],
              message: "'hour' needs a window of at most 92 days; use 'day' for longer ones",
            });
        }),
    )
    .query(({ ctx, input }) => incidents.summary(ctx.read, input)),

  heat: procedure('dashboard:read')
    .input(
      z
        .object({
          ...filter,
          cellMeters: z.number().int().min(MIN_CELL_METERS).max(MAX_CELL_METERS),
        })
        .superRefine(checkWindow),
    )
    .query(({ ctx, input }) => incidents.heat(ctx.read, input)),

  /** The window's incidents per cell at a zoom's resolution (services/incidentCells.ts). */
  cells: procedure('dashboard:read')
    .input(cellsInput)
    .query(({ ctx, input }) => incidentCells(ctx.read, input)),

  /** How many incidents the window holds, counted up to the points' limit. */
  windowSize: procedure('dashboard:read')
    .input(windowSizeInput)
    .query(({ ctx, input }) => windowSize(ctx.read, input)),

  /**
   * A feed's batch of incident records (services/ingest.ts): each answered created, updated,
   * unchanged or rejected, in the order sent; one audit row for the batch.
   */
  ingest: procedure('incidents:ingest')
    .input(
      z.object({
        records: z
          .array(z.unknown())
          .max(MAX_INGEST_RECORDS, `at most ${MAX_INGEST_RECORDS} records a request`),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      ctx.audit.object = `source:${ctx.user.username}`;
      ctx.audit.detail = { source: ctx.user.username, records: input.records.length };
      const answer = await ingestIncidents(ctx.db, ctx.user.username, input.records, {
        categories: ctx.ingestCategories,
        now: ctx.now().getTime(),
      });
      ctx.audit.detail = { source: ctx.user.username, counts: answer.counts };
      return answer;
    }),
});
