import type { DataStatus } from '../dataset/status';
import { procedure, publicProcedure, router } from '../trpc';

export const systemRouter = router({
  /**
   * Answers from memory (the data's description is read once, and again only after data were
   * stored), so it stays quick while heavy queries run; without the data's description when
   * the database cannot be read just then.
   */
  health: publicProcedure.query(async ({ ctx }) => ({
    status: 'ok' as const,
    database: ctx.db.kind,
    /** where heavy reads go: the replica, or the primary and why */
    reads: ctx.reads(),
    time: new Date().toISOString(),
    startedAt: ctx.startedAt.toISOString(),
    data: await ctx.data().catch((): DataStatus => ({})),
  })),
  /** What the client needs to draw: the basemap to use, if any. */
  config: procedure('dashboard:read').query(({ ctx }) => ({ basemap: ctx.basemap })),
});
