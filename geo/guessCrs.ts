/**
 * Which coordinate systems a file's numbers may be in, judged by where they land: values in the
 * hundreds of thousands or millions are metres (Gauss-Krüger; a leading zone number in the
 * easting names its zone), values within ±180/±90 are degrees — and degrees that fall beside
 * the district in WGS84 but inside it when read as GCJ-02 or BD-09 were picked on an online
 * map. Each candidate says what share of the sampled points it puts inside `inside` (the
 * district). It is a guess to offer a user, never to apply silently.
 *
 * @example
 *   guessCrs([[101.7779, 36.6648]], (lon, lat) => inDistrict(lon, lat));
 *   // [{ crs: 'gcj02', inside: 1, … }, { crs: 'wgs84', inside: 0, … }, …]
 */
import { importReason, type ImportReason } from '../domain/importReasons';
import { parseCrs, type Crs } from './crs';

export interface CrsGuess {
  /** the id parseCrs takes */
  crs: string;
  name: string;
  /** share of the sampled points inside the area, 0..1 */
  inside: number;
  /** why it is offered, in English */
  reason: string;
  /** the same, as a code of the import vocabulary for the page's language */
  code: ImportReason['code'];
  params: ImportReason['params'];
}

const SAMPLE = 500;

export function guessCrs(
  points: ReadonlyArray<readonly [number, number]>,
  inside: (lon: number, lat: number) => boolean,
): CrsGuess[] {
  const finite = points.filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y));
  if (!finite.length) return [];
  const step = Math.max(1, Math.floor(finite.length / SAMPLE));
  const sample = finite.filter((_, i) => i % step === 0).slice(0, SAMPLE);
  const degrees = sample.every(([x, y]) => Math.abs(x) <= 180 && Math.abs(y) <= 90);
  const candidates: Array<{ crs: Crs; why: ImportReason }> = [];
  if (degrees) {
    candidates.push(
      { crs: parseCrs('wgs84'), why: importReason('guess_degrees') },
      { crs: parseCrs('gcj02'), why: importReason('guess_gcj02') },
      { crs: parseCrs('bd09'), why: importReason('guess_bd09') },
    );
  } else {
    const zones = new Set(sample.map(([x]) => Math.floor(x / 1_000_000)));
    const [zone] = zones;
    if (zones.size === 1 && zone !== undefined && zone >= 13 && zone <= 45 && zone !== 24) {
      const epsg = zone <= 23 ? 4491 + zone - 13 : 4513 + zone - 25;
      candidates.push({
        crs: parseCrs(`EPSG:${epsg}`),
        why: importReason('guess_zone', { zone }),
      });
    } else if (sample.every(([x]) => x > 0 && x < 1_000_000)) {
      for (let epsg = 4534; epsg <= 4554; epsg++)
        candidates.push({ crs: parseCrs(`EPSG:${epsg}`), why: importReason('guess_3degree') });
    }
  }
  return candidates
    .map(({ crs, why }) => {
      let hits = 0;
      for (const [x, y] of sample) {
        const [lon, lat] = crs.toWgs84(x, y);
        if (Number.isFinite(lon) && Number.isFinite(lat) && inside(lon, lat)) hits++;
      }
      return { crs: crs.id, name: crs.name, inside: hits / sample.length, ...why };
    })
    .filter((g) => degrees || g.inside > 0)
    .sort((a, b) => b.inside - a.inside);
}
