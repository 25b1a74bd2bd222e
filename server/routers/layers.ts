import { z } from 'zod';
import * as layers from '../services/layers';
import { circleStatsProcedure } from './reach';
import { publicProcedure, router } from '../trpc';

export const camerasRouter = router({
  list: publicProcedure
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
  list: publicProcedure.query(({ ctx }) => layers.sites(ctx.db)),
});
export const circlesRouter = router({
  list: publicProcedure.query(({ ctx }) => layers.circles(ctx.db)),
  /** Per ring: incidents inside, per km², camera coverage, share within 3 minutes' reach. */
  stats: circleStatsProcedure,
});
export const zonesRouter = router({
  list: publicProcedure.query(({ ctx }) => layers.zones(ctx.db)),
});
export const postsRouter = router({
  list: publicProcedure.query(({ ctx }) => layers.posts(ctx.db)),
});
