/** The protection circles and their figures per ring. */
import * as layers from '../services/layers';
import { circleStatsProcedure } from './reach';
import { procedure, router } from '../trpc';

export const circlesRouter = router({
  list: procedure('dashboard:read').query(({ ctx }) => layers.circles(ctx.db)),
  /** Per ring: incidents inside, per km², camera coverage, share within 3 minutes' reach. */
  stats: circleStatsProcedure,
});
