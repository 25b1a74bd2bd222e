/**
 * Where the legend goes on the map: in the corner where it hides least of the district, and, for
 * a view fitted to an extent, in room the fit leaves beside the extent. Pure screen geometry
 * (pixels from the map's top left), no DOM.
 */
import {
  fitExtent,
  projectPoint,
  type Extent,
  type Padding,
  type Size,
} from '../../geo/viewExtent';

export type Corner = 'bottom-right' | 'bottom-left' | 'top-right' | 'top-left';

/** In the order preferred when corners hide as much: the legend's usual place first. */
export const CORNERS: readonly Corner[] = ['bottom-right', 'bottom-left', 'top-right', 'top-left'];

/**
 * The legend's distance from the map's edges in each corner: clear of the zoom buttons (top
 * right) and of the scale bar (bottom left).
 */
export const CORNER_INSETS: Record<Corner, { x: number; y: number }> = {
  'bottom-right': { x: 12, y: 12 },
  'bottom-left': { x: 12, y: 36 },
  'top-right': { x: 50, y: 12 },
  'top-left': { x: 12, y: 12 },
};

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** A ring of screen points, [x, y]. */
export type ScreenRing = [number, number][];

/** The legend's rectangle when it stands in `corner`. */
export function cornerRect(corner: Corner, map: Size, box: Size): Rect {
  const { x, y } = CORNER_INSETS[corner];
  return {
    x: corner.endsWith('left') ? x : map.width - x - box.width,
    y: corner.startsWith('top') ? y : map.height - y - box.height,
    width: box.width,
    height: box.height,
  };
}

/** Area of a ring (shoelace), unsigned. */
function ringArea(ring: ScreenRing): number {
  let a = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++)
    a += (ring[j]![0] - ring[i]![0]) * (ring[j]![1] + ring[i]![1]);
  return Math.abs(a) / 2;
}

/** A ring clipped to a rectangle (Sutherland–Hodgman: the rectangle is convex). */
function clipRing(ring: ScreenRing, r: Rect): ScreenRing {
  const edges: [(p: [number, number]) => boolean, (a: number[], b: number[]) => number[]][] = [
    [(p) => p[0] >= r.x, (a, b) => cut(a, b, 0, r.x)],
    [(p) => p[0] <= r.x + r.width, (a, b) => cut(a, b, 0, r.x + r.width)],
    [(p) => p[1] >= r.y, (a, b) => cut(a, b, 1, r.y)],
    [(p) => p[1] <= r.y + r.height, (a, b) => cut(a, b, 1, r.y + r.height)],
  ];
  let out = ring;
  for (const [inside, cross] of edges) {
    const input = out;
    out = [];
    for (let i = 0; i < input.length; i++) {
      const cur = input[i]!;
      const prev = input[(i + input.length - 1) % input.length]!;
      if (inside(cur)) {
        if (!inside(prev)) out.push(cross(prev, cur) as [number, number]);
        out.push(cur);
      } else if (inside(prev)) out.push(cross(prev, cur) as [number, number]);
    }
    if (!out.length) break;
  }
  return out;
}

/** The point where segment a–b crosses the line where coordinate `axis` equals `v`. */
function cut(a: number[], b: number[], axis: 0 | 1, v: number): number[] {
  const t = (v - a[axis]!) / (b[axis]! - a[axis]!);
  return [a[0]! + t * (b[0]! - a[0]!), a[1]! + t * (b[1]! - a[1]!)];
}

/**
 * How many square pixels of a shape a rectangle hides. The shape is polygons of rings, the
 * first ring of each its outline and the others its holes.
 */
export function hiddenArea(rect: Rect, polygons: ScreenRing[][]): number {
  let area = 0;
  for (const rings of polygons)
    rings.forEach((ring, i) => {
      const a = ringArea(clipRing(ring, rect));
      area += i === 0 ? a : -a;
    });
  return Math.max(0, area);
}

/**
 * The corner where a legend of `box` size hides least of the shape. The corner it stands in now
 * keeps it unless another hides clearly less (a tenth of the legend's area), so that it does not
 * jump from corner to corner as the map moves a little.
 */
export function freestCorner(
  map: Size,
  box: Size,
  polygons: ScreenRing[][],
  current: Corner = CORNERS[0]!,
): Corner {
  const hidden = (c: Corner) => hiddenArea(cornerRect(c, map, box), polygons);
  let best = current;
  let least = hidden(current);
  const margin = (box.width * box.height) / 10;
  for (const c of CORNERS) {
    const h = hidden(c);
    if (h < least - margin || (least > 0 && h === 0)) {
      best = c;
      least = h;
    }
  }
  return best;
}

/** Whether two rectangles overlap. */
export const intersects = (a: Rect, b: Rect) =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

/** Pixels between the legend and an extent fitted beside it. */
const GAP = 8;

/**
 * The padding that fits `extent` into a map of `map` size inside `base` and keeps the legend's
 * corner (bottom right) clear of it: `base` when the legend already stands beside the fitted
 * extent, else room beside or below the legend, whichever leaves the extent larger (and neither
 * when the map is too small to spare it).
 */
export function paddingBeside(map: Size, extent: Extent, box: Size | null, base: Padding): Padding {
  if (!box || box.width <= 0 || box.height <= 0) return base;
  const legend = cornerRect('bottom-right', map, box);
  const shown = (p: Padding) => {
    const cam = fitExtent(extent, map, p);
    const [x0, y0] = projectPoint(cam, map, [extent[0], extent[3]]);
    const [x1, y1] = projectPoint(cam, map, [extent[2], extent[1]]);
    return { rect: { x: x0, y: y0, width: x1 - x0, height: y1 - y0 }, zoom: cam.zoom };
  };
  if (!intersects(legend, shown(base).rect)) return base;
  const { x, y } = CORNER_INSETS['bottom-right'];
  const options = [
    { ...base, right: Math.max(base.right, box.width + x + GAP) },
    { ...base, bottom: Math.max(base.bottom, box.height + y + GAP) },
  ].filter(
    (p) =>
      map.width - p.left - p.right >= map.width / 2 &&
      map.height - p.top - p.bottom >= map.height / 2,
  );
  if (!options.length) return base;
  return options.reduce((a, b) => (shown(b).zoom > shown(a).zoom ? b : a));
}
