/** The audit trail: admins only. */
import { z } from 'zod';
import { AUDIT_OUTCOMES, listAudit, verifyAudit } from '../audit/audit';
import { instant } from '../inputs';
import { procedure, router } from '../trpc';

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
