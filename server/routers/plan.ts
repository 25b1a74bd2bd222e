/**
 * Patrol planning: zones and posts saved with versions (create, update, delete, history,
 * restore), the what-if figures of a draft, suggested posts, and the live stream of saved
 * changes.
 */
import { tracked, TRPCError } from '@trpc/server';
import { z } from 'zod';
import type { MultiPolygon, Polygon } from 'geojson';
import { vertexCount } from '../compute/geometryChecks';
import { checkWindow, id, instant } from '../inputs';
import * as layers from '../services/layers';
import { evaluatePlan } from '../services/planEvaluate';
import { suggestPosts } from '../services/planSuggest';
import {
  createPost,
  createZone,
  deletePost,
  deleteZone,
  history,
  MAX_ZONE_VERTICES,
  restore,
  updatePost,
  updateZone,
  type PlanKind,
  type ZoneUpdate,
  zoneGeometryProblems,
} from '../services/planEdits';
import { eventsAfter, lastEventId, nextWake } from '../services/planEvents';
import { procedure, router, type ContextInner } from '../trpc';

const coordinate = z.number();
const position = z.tuple([coordinate, coordinate]).rest(z.number());
const ring = z.array(position).max(MAX_ZONE_VERTICES, `at most ${MAX_ZONE_VERTICES} vertices`);
export const area = z.discriminatedUnion('type', [
  z.object({ type: z.literal('Polygon'), coordinates: z.array(ring).min(1).max(200) }),
  z.object({
    type: z.literal('MultiPolygon'),
    coordinates: z.array(z.array(ring).min(1).max(200)).min(1).max(200),
  }),
]);
export const point = z.tuple([coordinate, coordinate]);
const version = id;
const name = z.string().trim().min(1).max(60);
const shift = z.enum(['day', 'night', 'all']);
const status = z.enum(['available', 'busy', 'off_duty']);
const versioned = z.object({ id, version });

type Change = { id: number; before: unknown; after: unknown };

/** Records the object and the figures before and after in the call's audit row. */
function audited<T extends Change>(ctx: ContextInner, kind: PlanKind, r: T) {
  ctx.audit.object = `${kind}:${r.id}`;
  ctx.audit.detail = { before: r.before, after: r.after };
  const after = r.after as { version?: number } | null;
  return { id: r.id, version: after?.version ?? null };
}

function historyProcedures(kind: PlanKind) {
  return {
    /** Every saved version, newest first (also after a deletion). */
    history: procedure('dashboard:read')
      .input(z.object({ id }))
      .query(({ ctx, input }) => history(ctx.db, kind, input.id)),
    /**
     * Brings back version `to` as a new version; `version` is the current one (after a deletion:
     * the deletion's), so that nothing newer is overwritten unseen.
     */
    restore: procedure('plan:edit')
      .input(z.object({ id, version, to: version }))
      .mutation(async ({ ctx, input }) => {
        ctx.audit.object = `${kind}:${input.id}`;
        return audited(ctx, kind, await restore(ctx.db, ctx.user, kind, input));
      }),
  };
}

export const zonesRouter = router({
  list: procedure('dashboard:read').query(({ ctx }) => layers.zones(ctx.db)),
  create: procedure('plan:edit')
    .input(z.object({ geometry: area, name, unit: name, shift }))
    .mutation(async ({ ctx, input }) =>
      audited(ctx, 'zone', await createZone(ctx.db, ctx.user, input)),
    ),
  /**
   * Saves a zone's geometry, name, unit or shift if `version` is still the stored one;
   * otherwise CONFLICT. A planner only inside their towns and communities.
   */
  update: procedure('plan:edit')
    .input(
      versioned.extend({
        geometry: area.optional(),
        name: name.optional(),
        unit: name.optional(),
        shift: shift.optional(),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      ctx.audit.object = `zone:${input.id}`;
      return audited(ctx, 'zone', await updateZone(ctx.db, ctx.user, input as ZoneUpdate));
    }),
  delete: procedure('plan:edit')
    .input(versioned)
    .mutation(async ({ ctx, input }) => {
      ctx.audit.object = `zone:${input.id}`;
      return audited(ctx, 'zone', await deleteZone(ctx.db, ctx.user, input));
    }),
  ...historyProcedures('zone'),
});

export const postsRouter = router({
  /** Posts and patrol cars; only posts are planned (cars move). */
  list: procedure('dashboard:read').query(({ ctx }) => layers.posts(ctx.db)),
  create: procedure('plan:edit')
    .input(z.object({ position: point, name, status: status.optional() }))
    .mutation(async ({ ctx, input }) =>
      audited(ctx, 'post', await createPost(ctx.db, ctx.user, input)),
    ),
  update: procedure('plan:edit')
    .input(
      versioned.extend({
        position: point.optional(),
        name: name.optional(),
        status: status.optional(),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      ctx.audit.object = `post:${input.id}`;
      return audited(ctx, 'post', await updatePost(ctx.db, ctx.user, input));
    }),
  delete: procedure('plan:edit')
    .input(versioned)
    .mutation(async ({ ctx, input }) => {
      ctx.audit.object = `post:${input.id}`;
      return audited(ctx, 'post', await deletePost(ctx.db, ctx.user, input));
    }),
  ...historyProcedures('post'),
});

/** How often a stream looks at the table and at its session when nothing wakes it. */
export const LIVE_POLL_MS = 5_000;

export const liveRouter = router({
  /**
   * Saved plan changes as they happen (SSE). Each message carries its event id; a client that
   * reconnects with `lastEventId` is sent what it missed. The session is checked before every
   * message and at least every few seconds: when it ends (logout, disabled, timed out) the
   * stream ends with UNAUTHORIZED.
   */
  changes: procedure('dashboard:read')
    .input(
      z
        .object({
          lastEventId: z
            .string()
            .regex(/^\d{1,18}$/)
            .nullish(),
        })
        .optional(),
    )
    .subscription(async function* ({ ctx, input, signal }) {
      let last = input?.lastEventId ? Number(input.lastEventId) : await lastEventId(ctx.db);
      const stillSignedIn = async () => {
        const u = ctx.recheckSession ? await ctx.recheckSession() : ctx.user;
        if (!u || u.sessionId !== ctx.user.sessionId)
          throw new TRPCError({ code: 'UNAUTHORIZED', message: 'the session has ended' });
      };
      while (!signal?.aborted) {
        await stillSignedIn();
        for (const { eventId, event } of await eventsAfter(ctx.db, last)) {
          last = eventId;
          yield tracked(String(eventId), event);
        }
        await nextWake(LIVE_POLL_MS, signal);
      }
    }),
});

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
      if (problems.length)
        throw new TRPCError({ code: 'BAD_REQUEST', message: problems.slice(0, 10).join('; ') });
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
