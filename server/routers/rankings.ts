import { z } from 'zod';
import { instant } from '../inputs';
import { PERIODS, rankings } from '../services/rankings';
import { procedure, router } from '../trpc';

export const rankingsRouter = router({
  /**
   * The red/black list: every community ranked for the calendar month, quarter or year that
   * holds `at` (default: the latest data), with its indicators, score, and the configured weights.
   */
  communities: procedure('dashboard:read')
    .input(
      z
        .object({ period: z.enum(PERIODS).default('month'), at: instant.optional() })
        .default({ period: 'month' }),
    )
    .query(({ ctx, input }) =>
      rankings(ctx.db, input, ctx.ranking, ctx.meta.end ? new Date(ctx.meta.end) : undefined),
    ),
});
