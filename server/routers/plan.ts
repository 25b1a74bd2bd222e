/** The what-if figures of a draft plan, and suggested posts. Nothing here is saved. */
import { z } from 'zod';
import type { MultiPolygon, Polygon } from 'geojson';
import { vertexCount } from '../compute/geometryChecks';
import { BadInput } from '../errors';
import { checkWindow, id, instant } from '../inputs';
import { evaluatePlan } from '../services/planEvaluate';
import { suggestPosts } from '../services/planSuggest';
import { zoneGeometryProblems } from '../services/planEdits';
import { procedure, router } from '../trpc';
import { area, point, shift } from './planShared';

const draftZone = z.object({ id: id.optional(), geometry: area, shift: shift.optional() });
const draftPost = z.object({ id: id.optional(), position: point });

/** Zones and posts in one draft, and vertices of all its zones together. */
export const MAX_DRAFT_ZONES = 500;
export const MAX_DRAFT_POSTS = 500;
export const MAX_DRAFT_VERTICES = 100_000;

export const planRouter = router({
  /**
   * The what-if figures of a draft against the saved plan, without saving: `zones` and `posts`,
   * when given, are the complete draft sets (saved ones left out count as deleted).
   */
  evaluate: procedure('dashboard:read')
    .input(
      z
        .object({
          zones: z
            .array(draftZone)
            .max(MAX_DRAFT_ZONES, `at most ${MAX_DRAFT_ZONES} zones in a draft`)
            .optional(),
          posts: z
            .array(draftPost)
            .max(MAX_DRAFT_POSTS, `at most ${MAX_DRAFT_POSTS} posts in a draft`)
            .optional(),
          /** the incidents' window; the last 30 days of data when left out */
          from: instant.optional(),
          to: instant.optional(),
        })
        .superRefine((v, c) => {
          const vertices = (v.zones ?? []).reduce((n, zone) => n + vertexCount(zone.geometry), 0);
          if (vertices > MAX_DRAFT_VERTICES)
            c.addIssue({
              code: 'custom',
              path: ['zones'],
              message: `${vertices} vertices in all, at most ${MAX_DRAFT_VERTICES} in a draft`,
            });
          if ((v.from === undefined) !== (v.to === undefined))
            c.addIssue({
              code: 'custom',
              path: ['to'],
              message: 'give both from and to, or neither',
            });
          else if (v.from && v.to) checkWindow({ from: v.from, to: v.to }, c);
        })
        .default({}),
    )
    .query(async ({ ctx, input }) => {
      const zones = input.zones ?? [];
      const problems = await zoneGeometryProblems(
        zones.map((zone) => zone.geometry as Polygon | MultiPolygon),
        (i) => `zones.${i}.`,
      );
      if (problems.length) throw new BadInput(undefined, problems.slice(0, 10).join('; '));
      return evaluatePlan(ctx.db, input);
    }),
  /**
   * Where to put `k` more posts (`add`), or where to move the posts (`move`, all but `keep`),
   * to bring the most incidents within `minutes` of a responding unit. Nothing is saved.
   */
  suggest: procedure('plan:edit')
    .input(
      z
        .object({
          mode: z.enum(['add', 'move']),
          k: z.number().int().min(1).max(20).optional(),
          keep: z.array(id).max(500).optional(),
          minutes: z.union([z.literal(1), z.literal(3), z.literal(5)]).default(3),
        })
        .refine((v) => v.mode === 'move' || v.k !== undefined, {
          path: ['k'],
          message: 'say how many posts to add',
        }),
    )
    .query(({ ctx, input }) => suggestPosts(ctx.db, ctx.user, input)),
});
