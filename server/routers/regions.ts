import * as regions from '../services/regions';
import { publicProcedure, router } from '../trpc';

export const regionsRouter = router({
  district: publicProcedure.query(({ ctx }) => regions.district(ctx.db)),
  towns: publicProcedure.query(({ ctx }) => regions.towns(ctx.db)),
  communities: publicProcedure.query(({ ctx }) => regions.communities(ctx.db)),
});
