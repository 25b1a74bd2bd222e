import { z } from 'zod';
import { can } from '../../domain/policy';
import { Forbidden } from '../errors';
import { id } from '../inputs';
import * as coverage from '../services/coverage';
import { procedure, router } from '../trpc';

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
    .query(({ ctx, input }) => coverage.byCommunity(ctx.read, input)),

  /** Per community: coverage with and without the 654 Sharp Eyes infill cameras. */
  infill: procedure('dashboard:read').query(({ ctx }) => coverage.infill(ctx.read)),

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
    .query(({ ctx, input }) => coverage.gaps(ctx.read, input)),

  /**
   * Key sites and the share of their surroundings (a buffer, whole metres) that working cameras
   * see. Roles that may not see where the cameras are get the default buffer only: comparing
   * many radii would tell, site by site, where cameras look.
   */
  sites: procedure('dashboard:read')
    .input(
      z
        .object({
          bufferM: z.number().int().min(5).max(1000).default(coverage.DEFAULT_SITE_BUFFER_M),
        })
        .default({ bufferM: coverage.DEFAULT_SITE_BUFFER_M }),
    )
    .query(({ ctx, input }) => {
      if (input.bufferM !== coverage.DEFAULT_SITE_BUFFER_M && !can(ctx.user.role, 'cameras:read'))
        throw new Forbidden(
          `bufferM: the role ${ctx.user.role} may not see camera positions, so it gets key sites' coverage at the configured ${coverage.DEFAULT_SITE_BUFFER_M} m only`,
        );
      return coverage.sites(ctx.read, input);
    }),
});
