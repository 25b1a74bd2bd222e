/**
 * The geometry of an exported picture, pure: its pixels, the map's CSS size and pixel ratio,
 * the zoom that keeps the screen's extent in a picture of another shape, the scale bar's length,
 * and the file's name.
 */
import { UHD, type PngSize } from '../../../domain/mapExport';
import { metresPerPixel } from '../../../geo/metresPerPixel';

/** CSS pixels of the panel beside the map: title, window, legend, scale, north, source. */
export const SIDE_PX = 320;

/** The map's size for a slide that is not on the screen: a 16:9 desk map. */
export const REFERENCE_MAP = { width: 1280, height: 720 } as const;

export interface Size {
  width: number;
  height: number;
}

export interface ExportPlan {
  /** canvas pixels per CSS pixel */
  pixelRatio: number;
  /** the map's CSS size */
  map: Size;
  /** added to the view's zoom so the picture shows (at least) what the screen shows */
  zoomDelta: number;
  /** the whole picture's pixels: the map, then the panel on its right */
  image: Size;
}

/**
 * The picture for a map shown at `screen` CSS pixels (REFERENCE_MAP for a slide not on screen):
 * 1× has the screen's pixels and 2× twice as many; 4K is 3840 × 2160 at a pixel ratio of 2. The
 * zoom moves so that what a map of `extent` pixels shows (the screen's, by default) fits the
 * picture's map: 0 where they are the same size.
 *
 * @example
 * exportPlan('2x', { width: 1000, height: 600 });
 * // { pixelRatio: 2, map: { width: 1000, height: 600 }, zoomDelta: 0, image: { width: 2640, height: 1200 } }
 */
export function exportPlan(size: PngSize, screen: Size = REFERENCE_MAP, extent?: Size): ExportPlan {
  const s = { width: Math.round(screen.width), height: Math.round(screen.height) };
  const e = extent ?? s;
  if (s.width < 1 || s.height < 1 || e.width < 1 || e.height < 1)
    throw new Error(`a map of ${s.width} × ${s.height} pixels has nothing to draw`);
  const pixelRatio = size === '1x' ? 1 : 2;
  const map = size === '4k' ? { width: UHD.width / 2 - SIDE_PX, height: UHD.height / 2 } : s;
  const zoomDelta = Math.log2(Math.min(map.width / e.width, map.height / e.height));
  return {
    pixelRatio,
    map,
    // a map of the extent's own size keeps the view's zoom exactly
    zoomDelta: Math.abs(zoomDelta) < 1e-9 ? 0 : zoomDelta,
    image: { width: (map.width + SIDE_PX) * pixelRatio, height: map.height * pixelRatio },
  };
}

/**
 * The longest round length (1, 2 or 5 × 10ⁿ metres) a scale bar of at most `maxPx` CSS pixels
 * shows, and its length in pixels.
 *
 * @example
 * scaleBar(36.69, 11.3, 150); // { metres: 2000, px: ≈ 113 }
 */
export function scaleBar(lat: number, zoom: number, maxPx: number): { metres: number; px: number } {
  const mpp = metresPerPixel(lat, zoom);
  const max = maxPx * mpp;
  const p = 10 ** Math.floor(Math.log10(max));
  const metres = [5, 2, 1].map((k) => k * p).find((m) => m <= max) ?? p;
  return { metres, px: metres / mpp };
}

/**
 * A file name of parts joined by '-', without characters file systems refuse.
 *
 * @example
 * fileName(['城北区', '近30天', '2026-12-04'], 'png'); // '城北区-近30天-2026-12-04.png'
 */
export function fileName(parts: string[], ext: string): string {
  const clean = parts
    .map((p) =>
      p
        .replace(/[\\/:*?"<>|\p{Cc}]+/gu, ' ')
        .replace(/\s+/g, ' ')
        .trim(),
    )
    .filter(Boolean);
  return `${clean.join('-') || 'map'}.${ext}`;
}
