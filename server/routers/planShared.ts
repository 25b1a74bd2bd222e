/**
 * What the zones and posts routers share: the inputs of a saved zone or post, the audit row of
 * a change, and the history and restore procedures.
 */
import { SHIFTS, UNIT_STATUSES } from '../../domain/vocabulary';
import { z } from 'zod';
import { id } from '../inputs';
import { history, MAX_ZONE_VERTICES, restore, type PlanKind } from '../services/planEdits';
import { procedure, type ContextInner } from '../trpc';

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
export const version = id;
export const name = z.string().trim().min(1).max(60);
export const shift = z.enum(SHIFTS);
export const status = z.enum(UNIT_STATUSES);
export const versioned = z.object({ id, version });

type Change = { id: number; before: unknown; after: unknown };

/** Records the object and the figures before and after in the call's audit row. */
export function audited<T extends Change>(ctx: ContextInner, kind: PlanKind, r: T) {
  ctx.audit.object = `${kind}:${r.id}`;
  ctx.audit.detail = { before: r.before, after: r.after };
  const after = r.after as { version?: number } | null;
  return { id: r.id, version: after?.version ?? null };
}

export function historyProcedures(kind: PlanKind) {
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
