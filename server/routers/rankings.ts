import { z } from 'zod';
import { instant } from '../inputs';
import { PERIODS, rankings } from '../services/rankings';
import { procedure, router } from '../trpc';

export const rankingsRouter = router({
  /**
   * The red/black list: every community ranked for a calendar month, quarter or year, with its
   * indicators, score, and the configured weights. Which period: the one holding `at`; else,
   * with `toDate`, the one in progress at the latest data (its days so far, compared with the
   * same days of the previous period); else the last complete one. The answer names the window
   * ranked and the one compared, and whether each is a whole period.
   */
  communities: procedure('dashboard:read')
    .input(
      z
        .object({
          period: z.enum(PERIODS).default('month'),
          at: instant.optional(),
          toDate: z.boolean().optional(),
        })
        .default({ period: 'month' }),
    )
    .query(async ({ ctx, input }) => {
      const span = await ctx.data();
      return rankings(
        ctx.read,
        input,
        ctx.ranking,
        span.end ? new Date(span.end) : undefined,
        span.start ? new Date(span.start) : undefined,
      );
    }),
});
