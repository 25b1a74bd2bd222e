import { z } from 'zod';
import { id } from '../inputs';
import * as coverage from '../services/coverage';
import { procedure, router } from '../trpc';

const INFILL = 'sharp-eyes-infill';

export const coverageRouter = router({
  /** Per community: area, area seen by working cameras, and the ratio. */
  byCommunity: procedure('dashboard:read')
    .input(
      z
        .object({
          withoutBatch: z
            .string()
            .regex(/^[a-z0-9-]{1,40}$/, 'must be a batch code such as sharp-eyes-infill')
            .optional(),
        })
        .default({}),
    )
    .query(({ ctx, input }) => coverage.byCommunity(ctx.db, input)),

  /** Per community: coverage with and without the 654 Sharp Eyes infill cameras. */
  infill: procedure('dashboard:read').query(async ({ ctx }) => {
    const [withInfill, without] = await Promise.all([
      coverage.byCommunity(ctx.db),
      coverage.byCommunity(ctx.db, { withoutBatch: INFILL }),
    ]);
    return withInfill.map((c, i) => ({
      communityId: c.communityId,
      name: c.name,
      areaM2: c.areaM2,
      ratio: c.ratio,
      ratioWithout: without[i]!.ratio,
    }));
  }),

  /** The uncovered parts of the communities as polygons. */
  gaps: procedure('cameras:read')
    .input(
      z
        .object({
          communityId: id.optional(),
          minAreaM2: z.number().min(0).max(10_000_000).optional(),
        })
        .default({}),
    )
    .query(({ ctx, input }) => coverage.gaps(ctx.db, input)),

  /** Key sites and the share of their surroundings (a buffer) that working cameras see. */
  sites: procedure('dashboard:read')
    .input(z.object({ bufferM: z.number().min(5).max(1000).default(50) }).default({ bufferM: 50 }))
    .query(({ ctx, input }) => coverage.sites(ctx.db, input)),
});
