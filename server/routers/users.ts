/** User accounts: admins only. */
import { z } from 'zod';
import { addUser, setDisabled, setLayers } from '../auth/accounts';
import { addIntegration, revokeTokens } from '../auth/tokens';
import { BadInput } from '../errors';
import { ROLES } from '../../domain/policy';
import { id } from '../inputs';
import { listUsers } from '../services/users';
import { procedure, router } from '../trpc';

const areas = z.object({
  towns: z.array(id).max(20).default([]),
  communities: z.array(id).max(100).default([]),
});

export const usersRouter = router({
  list: procedure('users:manage').query(({ ctx }) => listUsers(ctx.db)),
  add: procedure('users:manage')
    .input(
      z.object({
        username: z.string(),
        password: z.string(),
        role: z.enum(ROLES),
        areas: areas.optional(),
        name: z.string().max(64).optional(),
        /** a display's map layers; absent or null: every layer its role may read */
        layers: z.array(z.string().max(20)).max(20).nullish(),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      ctx.audit.object = `user:${input.username}`;
      ctx.audit.detail = { role: input.role, areas: input.areas };
      await addUser(ctx.db, input, {
        minLength: 12,
        complexity: ctx.authConfig.passwordComplexity,
      });
      return { ok: true as const };
    }),
  /** Limits a display to some map layers (null: no limit); its next call obeys them. */
  setLayers: procedure('users:manage')
    .input(
      z.object({ username: z.string(), layers: z.array(z.string().max(20)).max(20).nullable() }),
    )
    .mutation(async ({ ctx, input }) => {
      ctx.audit.object = `user:${input.username}`;
      ctx.audit.detail = { layers: input.layers };
      await setLayers(ctx.db, input.username, input.layers);
      return { ok: true as const };
    }),
  /** Disabling ends the user's sessions at once. */
  setDisabled: procedure('users:manage')
    .input(z.object({ username: z.string(), disabled: z.boolean() }))
    .mutation(async ({ ctx, input }) => {
      ctx.audit.object = `user:${input.username}`;
      ctx.audit.detail = { disabled: input.disabled };
      if (input.disabled && input.username === ctx.user.username)
        throw new BadInput('username', 'you may not disable yourself');
      await setDisabled(ctx.db, input.username, input.disabled);
      return { ok: true as const };
    }),
  /** An integration account (a feed); its API token is in the answer, and shown only there. */
  addIntegration: procedure('users:manage')
    .input(z.object({ username: z.string(), name: z.string().max(64).optional() }))
    .mutation(async ({ ctx, input }) => {
      ctx.audit.object = `user:${input.username}`;
      ctx.audit.detail = { role: 'integration' };
      return { token: await addIntegration(ctx.db, input) };
    }),
  /**
   * Revokes every API token of an integration account at once; with `reissue`, answers a new
   * one (shown only there).
   */
  revokeToken: procedure('users:manage')
    .input(z.object({ username: z.string(), reissue: z.boolean().default(false) }))
    .mutation(async ({ ctx, input }) => {
      ctx.audit.object = `user:${input.username}`;
      const { revoked, token } = await revokeTokens(ctx.db, input.username, input.reissue);
      ctx.audit.detail = { revoked, reissued: input.reissue };
      return { revoked, token };
    }),
});
