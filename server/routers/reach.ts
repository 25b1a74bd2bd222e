import { z } from 'zod';
import { checkWindow, windowShape, instant } from '../inputs';
import { circleStats } from '../services/circleStats';
import * as reach from '../services/reach';
import { procedure, router } from '../trpc';

const model = {
  speedKmh: z.number().min(5).max(120).default(reach.DEFAULT_REACH.speedKmh),
  detour: z.number().min(1).max(3).default(reach.DEFAULT_REACH.detour),
};

export const reachRouter = router({
  /** Shares of area, population and recent incidents within 1, 3 and 5 minutes. */
  summary: procedure('dashboard:read')
    .input(
      z
        .object({ ...model, from: instant.optional(), to: instant.optional() })
        .refine((v) => (v.from === undefined) === (v.to === undefined), {
          path: ['to'],
          message: 'give both from and to, or neither (then the last 30 days of data)',
        })
        .refine((v) => !(v.from instanceof Date) || !(v.to instanceof Date) || v.from < v.to, {
          path: ['to'],
          message: 'must be after from',
        })
        .default({ speedKmh: reach.DEFAULT_REACH.speedKmh, detour: reach.DEFAULT_REACH.detour }),
    )
    .query(({ ctx, input }) =>
      reach.summary(
        ctx.read,
        input,
        input.from && input.to ? { from: input.from, to: input.to } : undefined,
      ),
    ),

  /** One polygon per threshold. */
  isochrones: procedure('dashboard:read')
    .input(
      z
        .object(model)
        .default({ speedKmh: reach.DEFAULT_REACH.speedKmh, detour: reach.DEFAULT_REACH.detour }),
    )
    .query(({ ctx, input }) => reach.isochrones(ctx.read, input)),
});

export const circleStatsProcedure = procedure('dashboard:read')
  .input(z.object({ ...windowShape, ...model }).superRefine(checkWindow))
  .query(({ ctx, input }) => circleStats(ctx.read, input, input));
