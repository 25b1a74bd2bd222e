/**
 * Time windows as the API takes them. The rules of local time, presets and comparisons are
 * domain/time.ts's.
 */
import type { Range } from '../../domain/time';

export type { Range } from '../../domain/time';

/** As the API wants it. */
export const isoRange = (r: Range) => ({
  from: new Date(r.from).toISOString(),
  to: new Date(r.to).toISOString(),
});
