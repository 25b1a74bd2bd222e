/**
 * Leaders' briefings (map stories): listed and read by everyone who may read briefings, made by
 * leaders, analysts and planners, changed and deleted by their owner or an admin. Each change is
 * audited with the briefing's figures before and after (not its slides).
 */
import { z } from 'zod';
import { briefingTitle, month, slides } from '../briefingInputs';
import { id } from '../inputs';
import * as briefings from '../services/briefings';
import { monthBriefing } from '../services/briefingMonth';
import { procedure, router, type ContextInner } from '../trpc';

const versioned = z.object({ id, version: id });

/** Records the briefing and its figures before and after in the call's audit row. */
function audited(ctx: ContextInner, r: briefings.BriefingChange) {
  ctx.audit.object = `briefing:${r.id}`;
  ctx.audit.detail = { before: r.before, after: r.after };
  return { id: r.id, version: r.after?.version ?? null };
}

export const briefingsRouter = router({
  /** Every briefing, newest change first: title, owner, slide count, version. */
  list: procedure('briefings:read').query(({ ctx }) => briefings.list(ctx.db)),
  get: procedure('briefings:read')
    .input(z.object({ id }))
    .query(({ ctx, input }) => briefings.get(ctx.db, input.id)),
  create: procedure('briefings:write')
    .input(z.object({ title: briefingTitle, slides: slides.default([]) }))
    .mutation(async ({ ctx, input }) =>
      audited(ctx, await briefings.create(ctx.db, ctx.user, input)),
    ),
  /**
   * Saves a new title and/or slides if `version` is still the stored one; otherwise CONFLICT and
   * nothing changes. Only the owner or an admin.
   */
  update: procedure('briefings:write')
    .input(
      versioned
        .extend({ title: briefingTitle.optional(), slides: slides.optional() })
        .refine((v) => v.title !== undefined || v.slides !== undefined, {
          message: 'nothing to save: give a title, slides or both',
        }),
    )
    .mutation(async ({ ctx, input }) => {
      ctx.audit.object = `briefing:${input.id}`;
      return audited(ctx, await briefings.update(ctx.db, ctx.user, input));
    }),
  delete: procedure('briefings:write')
    .input(versioned)
    .mutation(async ({ ctx, input }) => {
      ctx.audit.object = `briefing:${input.id}`;
      return audited(ctx, await briefings.remove(ctx.db, ctx.user, input));
    }),
  /**
   * A new briefing of a calendar month (YYYY-MM), owned by the caller: the month's incidents
   * against the month before and the same month last year, the red/black list, the sharp rises,
   * the hot spots, the protection circles and the camera infill, a slide each.
   */
  fromMonth: procedure('briefings:write')
    .input(z.object({ month }))
    .mutation(async ({ ctx, input }) => {
      ctx.audit.detail = { month: input.month };
      const b = await monthBriefing(ctx.db, input.month, {
        span: await ctx.data(),
        ranking: ctx.ranking,
      });
      const r = audited(ctx, await briefings.create(ctx.db, ctx.user, b));
      ctx.audit.detail = { month: input.month, ...(ctx.audit.detail as object) };
      return { id: r.id, version: r.version };
    }),
});
