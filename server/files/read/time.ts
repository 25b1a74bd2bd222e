/**
 * Dates and times as agencies' files write them, read as Asia/Shanghai (ZONE) wall-clock time:
 * 2026/3/5 8:05, 2026-03-05 08:05:00, 2026年3月5日 8时5分, 20260305080500, an Excel serial
 * number (46086.336…), or an ISO 8601 instant with its offset.
 */
import { HOUR_MS, UTC_OFFSET_HOURS } from '../../../domain/time';
import { toHalfWidth } from './columns';

const LOCAL =
  /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[\sT]+(\d{1,2})\s*[:时]\s*(\d{1,2})(?:\s*[:分]\s*(\d{1,2}(?:\.\d+)?))?\s*[秒分]?)?$/;
const COMPACT = /^(\d{4})(\d{2})(\d{2})(?:(\d{2})(\d{2})(\d{2})?)?$/;
const WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i;

/** Excel's day 0 (1899-12-30) as a UTC instant; serial days count from it. */
const EXCEL_EPOCH_UTC = Date.UTC(1899, 11, 30);
/** Serial numbers read as dates: 1954-10-10 .. 2119-01-01, far from any other number in a time column. */
const EXCEL_SERIAL_RANGE = [20_000, 80_000];

/**
 * Years before this are no time a file of calls means (and JavaScript reads years 0–99 as
 * 1900–1999): refused as dates.
 */
const FIRST_YEAR = 1900;
/** 00:00 of 1 January FIRST_YEAR, local: no date read is earlier. */
export const FIRST_TIME = Date.UTC(FIRST_YEAR, 0, 1) - UTC_OFFSET_HOURS * HOUR_MS;

function local(y: number, mo: number, d: number, h = 0, mi = 0, s = 0): number | null {
  if (y < FIRST_YEAR) return null;
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s >= 60) return null;
  // the zone keeps one offset all year (domain/time.ts): no zone database lookup per row
  const wall = Date.UTC(y, mo - 1, d, h, mi, 0, Math.round(s * 1000));
  // 2026-02-30 rolls over into March: refuse it rather than move it
  const check = new Date(wall);
  if (check.getUTCDate() !== d || check.getUTCMonth() !== mo - 1) return null;
  return wall - UTC_OFFSET_HOURS * HOUR_MS;
}

/** The instant (epoch ms) a cell means, or null when it is not a date this reads. */
export function parseLocalTime(v: string | number): number | null {
  if (typeof v === 'number') {
    if (!Number.isFinite(v) || v < EXCEL_SERIAL_RANGE[0]! || v > EXCEL_SERIAL_RANGE[1]!)
      return null;
    // the serial's wall-clock time, to the second
    const wall = new Date(EXCEL_EPOCH_UTC + Math.round(v * 86_400) * 1000);
    return local(
      wall.getUTCFullYear(),
      wall.getUTCMonth() + 1,
      wall.getUTCDate(),
      wall.getUTCHours(),
      wall.getUTCMinutes(),
      wall.getUTCSeconds(),
    );
  }
  const s = toHalfWidth(v).trim();
  if (WITH_OFFSET.test(s)) {
    const t = Date.parse(s);
    return t >= FIRST_TIME ? t : null;
  }
  const m = LOCAL.exec(s) ?? COMPACT.exec(s);
  if (m) {
    const [y, mo, d, h, mi, sec] = m.slice(1).map((x) => (x === undefined ? 0 : Number(x)));
    return local(y!, mo!, d!, h, mi, sec);
  }
  if (/^\d+(\.\d+)?$/.test(s)) return parseLocalTime(Number(s));
  return null;
}
