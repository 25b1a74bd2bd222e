import * as regions from '../services/regions';
import { procedure, router } from '../trpc';

export const regionsRouter = router({
  district: procedure('dashboard:read').query(({ ctx }) => regions.district(ctx.db)),
  towns: procedure('dashboard:read').query(({ ctx }) => regions.towns(ctx.db)),
  communities: procedure('dashboard:read').query(({ ctx }) => regions.communities(ctx.db)),
});
