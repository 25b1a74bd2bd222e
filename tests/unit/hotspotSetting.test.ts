/**
 * The one hot-spot setting (domain/analysis): no ring of neighbours lies on the band's edge, so
 * that float noise in the band cannot move a neighbour in or out, and the method sentence
 * states it in both languages.
 */
import { describe, expect, it } from 'vitest';
import { texts } from '../../client/i18n';
import { HOTSPOT } from '../../domain/analysis';
import { bandOffsets } from '../../geo/getisOrdGiStar';

const { cellMeters: cell, bandMeters: band } = HOTSPOT;

describe('HOTSPOT', () => {
  it('reaches past the nearest cells and is FDR-corrected, as the hot-spot procedure accepts', () => {
    expect(Number.isInteger(cell) && cell >= 50 && cell <= 2000).toBe(true);
    expect(band).toBeGreaterThanOrEqual(cell);
    expect(HOTSPOT.fdr).toBe(true);
  });

  it('has no neighbour within 1 m of the band’s edge', () => {
    const r = Math.ceil(band / cell) + 1;
    const onEdge: [number, number, number][] = [];
    for (let di = -r; di <= r; di++)
      for (let dj = -r; dj <= r; dj++) {
        const d = Math.hypot(di, dj) * cell;
        if (Math.abs(d - band) <= 1) onEdge.push([di, dj, d]);
      }
    expect(onEdge).toEqual([]);
  });

  it('is not within 1e-6 of a ring distance in cells', () => {
    const bandCells = band / cell;
    const r = Math.ceil(bandCells) + 1;
    const rings = new Set<number>();
    for (let di = 0; di <= r; di++) for (let dj = 0; dj <= r; dj++) rings.add(di * di + dj * dj);
    for (const k of rings) expect(Math.abs(Math.sqrt(k) - bandCells)).toBeGreaterThan(1e-6);
  });

  it('counts the same neighbours with the band a metre shorter or longer', () => {
    const n = bandOffsets(band / cell);
    expect(bandOffsets((band - 1) / cell)).toBe(n);
    expect(bandOffsets((band + 1) / cell)).toBe(n);
    // a band on a ring (2 cells) is not so: a metre less drops four neighbours
    expect(bandOffsets((2 * cell - 1) / cell)).toBe(bandOffsets(2) - 4);
  });

  it('is what the analysis panel’s method sentence states, in both languages', () => {
    expect(texts('zh').hotspotsMethod).toContain(`${cell}米网格计数，${band}米距离带`);
    expect(texts('en').hotspotsMethod).toContain(`${cell} m grid, ${band} m distance band`);
  });
});
