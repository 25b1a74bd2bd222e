/** Users and the audit trail: admins only. */
import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { addUser, setDisabled, setLayers } from '../auth/accounts';
import { ROLES } from '../../domain/policy';
import { AUDIT_OUTCOMES, listAudit, verifyAudit } from '../audit/audit';
import { id, instant } from '../inputs';
import { procedure, router } from '../trpc';

const areas = z.object({
  towns: z.array(id).max(20).default([]),
  communities: z.array(id).max(100).default([]),
});

export const usersRouter = router({
  list: procedure('users:manage').query(({ ctx }) =>
    ctx.db.query<{
      username: string;
      name: string;
      role: string;
      areas: string;
      disabled: boolean;
      twoFactorEnabled: boolean;
      lockedUntil: Date | null;
      layers: string | null;
    }>(
      `SELECT username, name, role, areas, layers, disabled, coalesce(two_factor_enabled, false) AS "twoFactorEnabled",
              locked_until AS "lockedUntil"
       FROM users ORDER BY username`,
    ),
  ),
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
      try {
        await addUser(ctx.db, input, {
          minLength: 12,
          complexity: ctx.authConfig.passwordComplexity,
        });
      } catch (e) {
        throw new TRPCError({ code: 'BAD_REQUEST', message: (e as Error).message });
      }
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
      try {
        await setLayers(ctx.db, input.username, input.layers);
      } catch (e) {
        const message = (e as Error).message;
        throw new TRPCError({
          code: /^no user/.test(message) ? 'NOT_FOUND' : 'BAD_REQUEST',
          message,
        });
      }
      return { ok: true as const };
    }),
  /** Disabling ends the user's sessions at once. */
  setDisabled: procedure('users:manage')
    .input(z.object({ username: z.string(), disabled: z.boolean() }))
    .mutation(async ({ ctx, input }) => {
      ctx.audit.object = `user:${input.username}`;
      ctx.audit.detail = { disabled: input.disabled };
      if (input.disabled && input.username === ctx.user.username)
        throw new TRPCError({
          code: 'BAD_REQUEST',
          message: 'username: you may not disable yourself',
        });
      try {
        await setDisabled(ctx.db, input.username, input.disabled);
      } catch (e) {
        throw new TRPCError({ code: 'NOT_FOUND', message: (e as Error).message });
      }
      return { ok: true as const };
    }),
});

export const auditRouter = router({
  list: procedure('audit:read')
    .input(
      z
        .object({
          from: instant.optional(),
          to: instant.optional(),
          username: z.string().max(64).optional(),
          action: z.string().max(100).optional(),
          outcome: z.enum(AUDIT_OUTCOMES).optional(),
          limit: z.number().int().min(1).max(500).default(100),
          cursor: z.number().int().positive().optional(),
        })
        .default({ limit: 100 }),
    )
    .query(({ ctx, input }) => listAudit(ctx.db, input)),
  verify: procedure('audit:read').query(({ ctx }) => verifyAudit(ctx.db)),
});
