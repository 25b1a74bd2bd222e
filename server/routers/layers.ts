import { z } from 'zod';
import * as layers from '../services/layers';
import { circleStatsProcedure } from './reach';
import { MAX_ZONE_VERTICES, updateZone, type ZoneUpdate } from '../services/zones';
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
const position = z.tuple([z.number(), z.number()]).rest(z.number());
const ring = z.array(position).max(MAX_ZONE_VERTICES, `at most ${MAX_ZONE_VERTICES} vertices`);
const area = z.discriminatedUnion('type', [
  z.object({ type: z.literal('Polygon'), coordinates: z.array(ring).min(1).max(200) }),
  z.object({
    type: z.literal('MultiPolygon'),
    coordinates: z.array(z.array(ring).min(1).max(200)).min(1).max(200),
  }),
]);

export const zonesRouter = router({
  list: procedure('dashboard:read').query(({ ctx }) => layers.zones(ctx.db)),
  /**
   * Saves a zone's geometry (and name, unit, shift) if `version` is still the stored one;
   * otherwise CONFLICT. A planner only inside their towns and communities.
   */
  update: procedure('plan:edit')
    .input(
      z.object({
        id: z.number().int().positive(),
        version: z.number().int().positive(),
        geometry: area,
        name: z.string().trim().min(1).max(60).optional(),
        unit: z.string().trim().min(1).max(60).optional(),
        shift: z.enum(['day', 'night', 'all']).optional(),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      ctx.audit.object = `zone:${input.id}`;
      const r = await updateZone(ctx.db, ctx.user, input as ZoneUpdate);
      ctx.audit.detail = r;
      return { id: input.id, version: r.after.version };
    }),
});
export const postsRouter = router({
  list: procedure('dashboard:read').query(({ ctx }) => layers.posts(ctx.db)),
});
