/** Small formatting helpers shared by the planning panel's parts. */
import { area as turfArea } from '@turf/turf';
import type { Area, PlanObject } from './draft';
import type { PlanTexts } from './texts';

export const pct = (x: number | undefined) => (x === undefined ? '—' : `${(x * 100).toFixed(1)}%`);
export const km2 = (x: number | undefined) => (x === undefined ? '—' : x.toFixed(2));
/** An ISO instant as local 2026-06-30 14:05. */
export function localTime(iso: string) {
  const d = new Date(iso);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}
export const areaKm2 = (g: Area) =>
  turfArea({ type: 'Feature', geometry: g, properties: {} }) / 1e6;

export function nameOf(t: PlanTexts, o: PlanObject | undefined) {
  if (!o) return '';
  return `${o.kind === 'zone' ? t.zone : t.post}「${o.name}」`;
}
