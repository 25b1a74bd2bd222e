import { z } from 'zod';
import { categories, checkWindow, windowShape } from '../inputs';
import { gistar } from '../services/gistar';
import { spikes } from '../services/spikes';
import { procedure, router } from '../trpc';

export const hotspotsRouter = router({
  /**
   * Getis-Ord Gi* per grid cell over the district; only the significant cells are returned.
   * Settings whose cost (cells × neighbours within the band) is over the limit are refused
   * before any work (services/gistar, MAX_GISTAR_WORK); the work runs in the compute pool.
   */
  gistar: procedure('dashboard:read')
    .input(
      z
        .object({
          ...windowShape,
          categories: categories.optional(),
          cellMeters: z.number().int().min(50).max(2000),
          bandMeters: z.number().min(50).max(5000),
          fdr: z.boolean().default(false),
        })
        .superRefine(checkWindow)
        .refine((v) => v.bandMeters >= v.cellMeters, {
          path: ['bandMeters'],
          message: 'must be at least cellMeters: the band has to reach the neighbouring cells',
        }),
    )
    .query(({ ctx, input }) => gistar(ctx.read, input)),
  /** Per community: the window against the period before, Poisson z, flagged at |z| ≥ 3; largest rise first. */
  spikes: procedure('dashboard:read')
    .input(z.object({ ...windowShape, categories: categories.optional() }).superRefine(checkWindow))
    .query(({ ctx, input }) => spikes(ctx.read, input)),
});
