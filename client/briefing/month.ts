/** The month a monthly report is made for by default. */
import { localDate } from '../../domain/time';

/**
 * The last calendar month (YYYY-MM, local time) complete at `reference` (an instant, exclusive:
 * the end of the data or now): the month before the one `reference` falls in.
 */
export function lastCompleteMonth(reference: number): string {
  const [y, m] = localDate(reference).split('-').map(Number) as [number, number];
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}
