import { z } from 'zod';
import { instant } from '../inputs';
import * as disputes from '../services/disputes';
import { procedure, router } from '../trpc';

export const disputesRouter = router({
  summary: procedure('dashboard:read')
    .input(
      z
        .object({
          studio: z
            .string()
            .regex(/^[a-z0-9_-]{1,40}$/, 'must be a studio code such as mulin')
            .optional(),
          from: instant.optional(),
          to: instant.optional(),
        })
        .refine((v) => !(v.from instanceof Date) || !(v.to instanceof Date) || v.from < v.to, {
          path: ['to'],
          message: 'must be after from',
        })
        .default({}),
    )
    .query(({ ctx, input }) => disputes.summary(ctx.read, input)),
});
