/** Patrol zones saved with versions: create, update, delete, history, restore. */
import { z } from 'zod';
import * as layers from '../services/layers';
import { createZone, deleteZone, updateZone, type ZoneUpdate } from '../services/planEdits';
import { procedure, router } from '../trpc';
import { area, audited, historyProcedures, name, shift, versioned } from './planShared';

export const zonesRouter = router({
  list: procedure('dashboard:read').query(({ ctx }) => layers.zones(ctx.db)),
  create: procedure('plan:edit')
    .input(z.object({ geometry: area, name, unit: name, shift }))
    .mutation(async ({ ctx, input }) =>
      audited(ctx, 'zone', await createZone(ctx.db, ctx.user, input)),
    ),
  /**
   * Saves a zone's geometry, name, unit or shift if `version` is still the stored one;
   * otherwise CONFLICT. A planner only inside their towns and communities.
   */
  update: procedure('plan:edit')
    .input(
      versioned.extend({
        geometry: area.optional(),
        name: name.optional(),
        unit: name.optional(),
        shift: shift.optional(),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      ctx.audit.object = `zone:${input.id}`;
      return audited(ctx, 'zone', await updateZone(ctx.db, ctx.user, input as ZoneUpdate));
    }),
  delete: procedure('plan:edit')
    .input(versioned)
    .mutation(async ({ ctx, input }) => {
      ctx.audit.object = `zone:${input.id}`;
      return audited(ctx, 'zone', await deleteZone(ctx.db, ctx.user, input));
    }),
  ...historyProcedures('zone'),
});
