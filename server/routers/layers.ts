import { z } from 'zod';
import * as layers from '../services/layers';
import { circleStatsProcedure } from './reach';
import { procedure, router } from '../trpc';

export const camerasRouter = router({
  list: procedure('cameras:read')
    .input(
      z
        .object({
          batch: z
            .string()
            .regex(/^[a-z0-9-]{1,40}$/, 'must be a batch code such as sharp-eyes-infill')
            .optional(),
          status: z.enum(['online', 'offline']).optional(),
        })
        .default({}),
    )
    .query(({ ctx, input }) => layers.cameras(ctx.db, input)),
});

export const sitesRouter = router({
  list: procedure('dashboard:read').query(({ ctx }) => layers.sites(ctx.db)),
});
export const circlesRouter = router({
  list: procedure('dashboard:read').query(({ ctx }) => layers.circles(ctx.db)),
  /** Per ring: incidents inside, per km², camera coverage, share within 3 minutes' reach. */
  stats: circleStatsProcedure,
});
