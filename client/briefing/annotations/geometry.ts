/**
 * The geometry of drawings on a slide's map, without React or a map: what a pointer gesture
 * makes (an arrow, a circle, a freehand outline, or nothing for a click without a drag), the
 * arrow's head, and which drawing a click hits. Screen work is done in pixels handed in by the
 * caller (a `project` / `toLngLat` pair), so the rules hold at any zoom.
 */
import { distance } from '@turf/turf';
import type { LineString, Polygon, Position } from 'geojson';
import { BRIEFING_LIMITS } from '../../../domain/briefing';
import { circleRing } from '../../../geo/circleRing';
import { simplifyToVertices } from '../../../geo/simplifyToVertices';
import { textWidthEm } from '../../layers/labels';
import type { Annotation } from './store';

/** A point in a plane: screen pixels, or Web Mercator world units. */
export type XY = [number, number];

/** Pixels a press may wander and still be a click, not a drawing. */
export const CLICK_SLOP_PX = 6;
/** A freehand outline that ends this close to its start (pixels) is closed into an area. */
export const CLOSE_PX = 18;
/** The arrow's head at scale 1, in pixels: length along the shaft and half its width. */
export const ARROW_HEAD_PX = { length: 22, halfWidth: 11 } as const;

/** Drawn coordinates keep 7 decimals (about a centimetre): enough, and a smaller slide. */
const round7 = (v: number) => Math.round(v * 1e7) / 1e7;
export const roundPosition = (p: Position): LngLat => [round7(p[0]!), round7(p[1]!)];

/** A [lon, lat] position as the slides store it. */
export type LngLat = [number, number];
type OutlineGeometry = Extract<Annotation, { kind: 'outline' }>['geometry'];

const dist = (a: XY, b: XY) => Math.hypot(a[0] - b[0], a[1] - b[1]);

/**
 * The head of an arrow pointing from `from` to `tip`, in the plane of both: a triangle with its
 * point at `tip`, `length` long and `2 × halfWidth` wide at its base, and the neck (the middle of
 * the base) where the shaft should end so that a wide stroke does not poke through the point. A
 * head longer than 60 % of the arrow is shrunk to that, keeping its proportions. Null when the
 * two points coincide (no direction).
 *
 * @example
 * arrowHead([0, 0], [100, 0], 20, 10);
 * // { head: [[100, 0], [80, 10], [80, -10]], neck: [80, 0] }
 */
export function arrowHead(
  from: XY,
  tip: XY,
  length: number,
  halfWidth = length / 2,
): { head: [XY, XY, XY]; neck: XY } | null {
  const d = dist(from, tip);
  if (!(d > 0) || !(length > 0)) return null;
  const k = Math.min(1, (0.6 * d) / length);
  const len = length * k;
  const half = halfWidth * k;
  // unit vector along the shaft, and its normal
  const ux = (tip[0] - from[0]) / d;
  const uy = (tip[1] - from[1]) / d;
  const neck: XY = [tip[0] - ux * len, tip[1] - uy * len];
  return {
    head: [
      tip,
      [neck[0] - uy * half, neck[1] + ux * half],
      [neck[0] + uy * half, neck[1] - ux * half],
    ],
    neck,
  };
}

/** Length of a path in its own units. */
export function pathLength(path: readonly XY[]): number {
  let n = 0;
  for (let i = 1; i < path.length; i++) n += dist(path[i - 1]!, path[i]!);
  return n;
}

/** A click, not a drawing: the pointer never went more than `slop` pixels from where it pressed. */
export function isClick(path: readonly XY[], slop = CLICK_SLOP_PX): boolean {
  const start = path[0];
  return !start || path.every((p) => dist(p, start) <= slop);
}

/**
 * Whether a freehand path (pixels) is meant as an area: it ends within `tolerance` of its
 * start, after going somewhere (its length is more than four times the tolerance, and it has at
 * least three points).
 */
export function closesLoop(path: readonly XY[], tolerance = CLOSE_PX): boolean {
  if (path.length < 3) return false;
  return dist(path[0]!, path.at(-1)!) <= tolerance && pathLength(path) > 4 * tolerance;
}

/** A circle's radius in metres from its centre to a point on its edge, within the slide limit. */
export function radiusMeters(centre: Position, edge: Position): number {
  const r = distance(centre, edge, { units: 'meters' });
  return Math.min(BRIEFING_LIMITS.circleRadius, Math.max(1, Math.round(r)));
}

/**
 * A freehand outline from its positions: a Polygon when it closes (the ring is closed on its
 * first position), a LineString otherwise; at most BRIEFING_LIMITS.annotationVertices
 * positions (simplified if the pointer gave more); consecutive repeats dropped. Null when fewer
 * than two distinct positions remain.
 */
export function outlineGeometry(
  positions: readonly Position[],
  closed: boolean,
): OutlineGeometry | null {
  const pts: LngLat[] = [];
  for (const p of positions.map(roundPosition)) {
    const q = pts.at(-1);
    if (!q || q[0] !== p[0] || q[1] !== p[1]) pts.push(p);
  }
  // a ring returning onto its start needs no second copy of it before the closing one
  while (closed && pts.length > 1 && pts.at(-1)![0] === pts[0]![0] && pts.at(-1)![1] === pts[0]![1])
    pts.pop();
  const max = BRIEFING_LIMITS.annotationVertices;
  if (closed && pts.length >= 3)
    return simplifyToVertices(
      { type: 'Polygon', coordinates: [[...pts, pts[0]!]] },
      max,
    ) as OutlineGeometry;
  if (pts.length < 2) return null;
  return simplifyToVertices({ type: 'LineString', coordinates: pts }, max) as OutlineGeometry;
}

export type GestureKind = 'arrow' | 'circle' | 'outline';

/**
 * What a press-drag-release of a drawing tool makes, from the pointer's path in pixels and
 * `toLngLat` (pixels to [lon, lat]): an arrow from the press to the release (its head at the
 * release), a circle centred at the press through the release, or a freehand outline (an area
 * when it ends near its start). Null for a click without a drag, or a drawing with no extent.
 */
export function annotationFromGesture(
  kind: GestureKind,
  path: readonly XY[],
  toLngLat: (p: XY) => Position,
): Annotation | null {
  if (path.length < 2 || isClick(path)) return null;
  const first = roundPosition(toLngLat(path[0]!));
  const last = roundPosition(toLngLat(path.at(-1)!));
  if (kind === 'arrow') {
    if (first[0] === last[0] && first[1] === last[1]) return null;
    return { kind, text: '', geometry: { type: 'LineString', coordinates: [first, last] } };
  }
  if (kind === 'circle')
    return {
      kind,
      text: '',
      geometry: { type: 'Point', coordinates: first },
      radiusMeters: radiusMeters(first, last),
    };
  const geometry = outlineGeometry(path.map(toLngLat), closesLoop(path));
  return geometry && { kind, text: '', geometry };
}

const rings = new WeakMap<Annotation, Polygon>();
/** A circle drawing's ring (made once per drawing: the drawings are never changed in place). */
export function circleOf(a: Extract<Annotation, { kind: 'circle' }>): Polygon {
  let r = rings.get(a);
  if (!r) rings.set(a, (r = circleRing(a.geometry.coordinates, a.radiusMeters)));
  return r;
}

/** Where a drawing's own words go: a text at its point, an arrow at its tail, a circle at its top, an outline at its start. */
export function textAnchor(a: Annotation): Position {
  switch (a.kind) {
    case 'text':
      return a.geometry.coordinates;
    case 'arrow':
      return a.geometry.coordinates[0]!;
    case 'circle': {
      const ring = circleOf(a).coordinates[0]!;
      // the ring starts due north of the centre (Turf's circle)
      return ring[0]!;
    }
    case 'outline':
      return a.geometry.type === 'Polygon'
        ? a.geometry.coordinates[0]![0]!
        : a.geometry.coordinates[0]!;
  }
}

/** Distance from `p` to the segment a–b. */
function segmentDistance(p: XY, a: XY, b: XY): number {
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  const l2 = dx * dx + dy * dy;
  const t = l2 ? Math.max(0, Math.min(1, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / l2)) : 0;
  return dist(p, [a[0] + t * dx, a[1] + t * dy]);
}

function lineDistance(p: XY, line: readonly XY[]): number {
  let d = line.length === 1 ? dist(p, line[0]!) : Infinity;
  for (let i = 1; i < line.length; i++) d = Math.min(d, segmentDistance(p, line[i - 1]!, line[i]!));
  return d;
}

/** Ray casting: whether `p` is inside the closed ring. */
function inside(p: XY, ring: readonly XY[]): boolean {
  let c = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i]!;
    const [xj, yj] = ring[j]!;
    if (yi > p[1] !== yj > p[1] && p[0] < ((xj - xi) * (p[1] - yi)) / (yj - yi) + xi) c = !c;
  }
  return c;
}

/**
 * Which drawing a click at `at` (pixels) hits, by nearest geometry on screen: the one whose line,
 * edge or text box is nearest within `tolerance` pixels (the later drawn wins a tie), else the
 * latest drawn circle or closed outline that contains the click; null when none. `textSize` is
 * a text label's size in pixels.
 */
export function hitAnnotation(
  annotations: readonly Annotation[],
  at: XY,
  project: (p: Position) => XY,
  { tolerance = 8, textSize = 22 }: { tolerance?: number; textSize?: number } = {},
): number | null {
  let best: number | null = null;
  let bestD = tolerance;
  let within: number | null = null;
  annotations.forEach((a, i) => {
    let d: number;
    if (a.kind === 'text') {
      const [x, y] = project(a.geometry.coordinates);
      const halfW = (textWidthEm(a.text) * textSize) / 2;
      d = Math.max(0, Math.abs(at[0] - x) - halfW, Math.abs(at[1] - y) - textSize / 2);
    } else {
      const area =
        a.kind === 'circle' ? circleOf(a) : a.geometry.type === 'Polygon' ? a.geometry : null;
      const line = (area ? area.coordinates[0]! : (a.geometry as LineString).coordinates).map(
        project,
      );
      d = lineDistance(at, line);
      if (area && inside(at, line)) within = i;
    }
    if (d <= bestD) {
      bestD = d;
      best = i;
    }
  });
  return best ?? within;
}
