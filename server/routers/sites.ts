/** Key sites. */
import * as layers from '../services/layers';
import { procedure, router } from '../trpc';

export const sitesRouter = router({
  list: procedure('dashboard:read').query(({ ctx }) => layers.sites(ctx.db)),
});
