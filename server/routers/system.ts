import { procedure, publicProcedure, router } from '../trpc';

export const systemRouter = router({
  /** Answers without touching the database, so it stays quick while heavy queries run. */
  health: publicProcedure.query(({ ctx }) => ({
    status: 'ok' as const,
    database: ctx.db.kind,
    time: new Date().toISOString(),
    startedAt: ctx.startedAt.toISOString(),
    data: ctx.meta,
  })),
  /** What the client needs to draw: the basemap to use, if any. */
  config: procedure('dashboard:read').query(({ ctx }) => ({ basemap: ctx.basemap })),
});
