/** Patrol posts saved with versions: create, update, delete, history, restore. */
import { z } from 'zod';
import * as layers from '../services/layers';
import { createPost, deletePost, updatePost } from '../services/planEdits';
import { procedure, router } from '../trpc';
import { audited, historyProcedures, name, point, status, versioned } from './planShared';

export const postsRouter = router({
  /** Posts and patrol cars; only posts are planned (cars move). */
  list: procedure('dashboard:read').query(({ ctx }) => layers.posts(ctx.db)),
  create: procedure('plan:edit')
    .input(z.object({ position: point, name, status: status.optional() }))
    .mutation(async ({ ctx, input }) =>
      audited(ctx, 'post', await createPost(ctx.db, ctx.user, input)),
    ),
  update: procedure('plan:edit')
    .input(
      versioned.extend({
        position: point.optional(),
        name: name.optional(),
        status: status.optional(),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      ctx.audit.object = `post:${input.id}`;
      return audited(ctx, 'post', await updatePost(ctx.db, ctx.user, input));
    }),
  delete: procedure('plan:edit')
    .input(versioned)
    .mutation(async ({ ctx, input }) => {
      ctx.audit.object = `post:${input.id}`;
      return audited(ctx, 'post', await deletePost(ctx.db, ctx.user, input));
    }),
  ...historyProcedures('post'),
});
