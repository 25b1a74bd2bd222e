import { z } from 'zod';
import { categories, checkWindow, windowShape } from '../inputs';
import { spikes } from '../services/spikes';
import { publicProcedure, router } from '../trpc';

export const hotspotsRouter = router({
  /** Per community: the window against the period before, Poisson z, flagged at |z| ≥ 3; largest rise first. */
  spikes: publicProcedure
    .input(z.object({ ...windowShape, categories: categories.optional() }).superRefine(checkWindow))
    .query(({ ctx, input }) => spikes(ctx.db, input)),
});
