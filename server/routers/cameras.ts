/** Camera positions, by batch and status. */
import { CAMERA_STATUSES } from '../../domain/vocabulary';
import { z } from 'zod';
import * as layers from '../services/layers';
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
          status: z.enum(CAMERA_STATUSES).optional(),
        })
        .default({}),
    )
    .query(({ ctx, input }) => layers.cameras(ctx.db, input)),
});
