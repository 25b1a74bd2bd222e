/**
 * The geometry of a slide's drawings: the arrow's head, circles, freehand outlines (closing,
 * simplifying to the vertex limit), clicks that draw nothing, hit testing, the store's limits,
 * and the layer's head staying the same size in pixels at any zoom.
 */
import { WebMercatorViewport } from '@deck.gl/core';
import { circle, distance, simplify } from '@turf/turf';
import type { LineString, Polygon, Position } from 'geojson';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  annotationFromGesture,
  arrowHead,
  closesLoop,
  hitAnnotation,
  isClick,
  outlineGeometry,
  radiusMeters,
  type XY,
} from '../../client/briefing/annotations/geometry';
import { annotationLayers, arrowParts } from '../../client/briefing/annotations/layers';
import { useAnnotations, type Annotation } from '../../client/briefing/annotations/store';
import { BRIEFING_LIMITS } from '../../domain/briefing';
import { circleRing } from '../../geo/circleRing';
import { simplifyToVertices } from '../../geo/simplifyToVertices';
import { annotation } from '../../server/briefingInputs';

/** Pixels to [lon, lat] near the district: 1 px = 1e-5 degrees, y down. */
const toLngLat = ([x, y]: XY): Position => [101.7 + x * 1e-5, 36.7 - y * 1e-5];
const project = ([lon, lat]: Position): XY => [(lon! - 101.7) * 1e5, (36.7 - lat!) * 1e5];

/** A freehand square of side `side` px from (100, 100), sampled every pixel, ending `gap` px short. */
function square(side: number, gap: number): XY[] {
  const path: XY[] = [];
  for (let i = 0; i < side; i++) path.push([100 + i, 100]);
  for (let i = 0; i < side; i++) path.push([100 + side, 100 + i]);
  for (let i = 0; i < side; i++) path.push([100 + side - i, 100 + side]);
  for (let i = 0; i <= side - gap; i++) path.push([100, 100 + side - i]);
  return path;
}

describe('arrowHead', () => {
  it('puts the point at the tip and the base across the shaft', () => {
    expect(arrowHead([0, 0], [100, 0], 20, 10)).toEqual({
      head: [
        [100, 0],
        [80, 10],
        [80, -10],
      ],
      neck: [80, 0],
    });
    const h = arrowHead([0, 0], [0, -50], 10, 4)!;
    expect(h.neck).toEqual([0, -40]);
    expect(h.head.slice(1)).toEqual([
      [4, -40],
      [-4, -40],
    ]);
  });

  it('shrinks the head of a short arrow to 60 % of it, and has none without a direction', () => {
    expect(arrowHead([0, 0], [10, 0], 20, 10)!.neck).toEqual([4, 0]);
    expect(arrowHead([0, 0], [10, 0], 20, 10)!.head[1]).toEqual([4, 3]);
    expect(arrowHead([5, 5], [5, 5], 20)).toBeNull();
  });

  it('keeps its size in pixels at any zoom on the map', () => {
    const a: Annotation = {
      kind: 'arrow',
      text: '',
      geometry: {
        type: 'LineString',
        coordinates: [
          [101.68, 36.69],
          [101.7, 36.7],
        ],
      },
    };
    for (const zoom of [12, 14, 17]) {
      const v = new WebMercatorViewport({
        width: 1366,
        height: 768,
        longitude: 101.69,
        latitude: 36.695,
        zoom,
      });
      for (const scale of [1, 2]) {
        const { shaft, head } = arrowParts(a, v, scale);
        const tip = v.project([101.7, 36.7]);
        const neck = v.project(shaft.at(-1)!);
        const len = Math.hypot(tip[0]! - neck[0]!, tip[1]! - neck[1]!);
        // the whole arrow is far longer than its head at these zooms
        expect(len).toBeCloseTo(22 * scale, 1);
        const [l, r] = [v.project(head![1]!), v.project(head![2]!)];
        expect(Math.hypot(l[0]! - r[0]!, l[1]! - r[1]!)).toBeCloseTo(22 * scale, 1);
        expect(head![0]).toEqual([101.7, 36.7]);
      }
    }
  });
});

describe('circleRing', () => {
  it('is Turf’s circle in metres, every vertex at the radius', () => {
    const c = [101.72, 36.68];
    const ring = circleRing(c, 750);
    expect(ring).toEqual(circle(c, 0.75, { steps: 64, units: 'kilometers' }).geometry);
    expect(ring.coordinates[0]).toHaveLength(65);
    for (const p of ring.coordinates[0]!)
      expect(distance(c, p, { units: 'meters' })).toBeCloseTo(750, -1);
  });

  it('refuses a radius that is no length', () => {
    expect(() => circleRing([101.7, 36.7], 0)).toThrow(/positive number of metres/);
    expect(() => circleRing([101.7, 36.7], Number.NaN)).toThrow(/positive/);
  });

  it('measures a drawn radius in metres, within the slide limit', () => {
    expect(radiusMeters([101.7, 36.7], [101.7, 36.71])).toBe(
      Math.round(distance([101.7, 36.7], [101.7, 36.71], { units: 'meters' })),
    );
    expect(radiusMeters([101.7, 36.7], [103, 36.7])).toBe(BRIEFING_LIMITS.circleRadius);
  });
});

describe('simplifyToVertices', () => {
  /** A wiggly line of n positions. */
  const wiggle = (n: number): LineString => ({
    type: 'LineString',
    coordinates: Array.from({ length: n }, (_, i) => [
      101.6 + i * 1e-5,
      36.7 + Math.sin(i / 7) * 1e-3 + (i % 3) * 1e-6,
    ]),
  });

  it('leaves a line that is within the bound as it is', () => {
    const g = wiggle(100);
    expect(simplifyToVertices(g, 100)).toBe(g);
  });

  it('brings a long freehand line under the bound with Turf’s simplify, ends kept', () => {
    const g = wiggle(6000);
    const out = simplifyToVertices(g, BRIEFING_LIMITS.annotationVertices);
    const n = out.coordinates.length;
    expect(n).toBeLessThanOrEqual(BRIEFING_LIMITS.annotationVertices);
    expect(n).toBeGreaterThan(BRIEFING_LIMITS.annotationVertices / 8);
    expect(out.coordinates[0]).toEqual(g.coordinates[0]);
    expect(out.coordinates.at(-1)).toEqual(g.coordinates.at(-1));
    // every vertex kept is one of the line's own
    const own = new Set(g.coordinates.map((p) => p.join()));
    expect(out.coordinates.every((p) => own.has(p.join()))).toBe(true);
    // and it is what Turf gives at some tolerance: fewer vertices than at a smaller one
    expect(simplify(g, { tolerance: 1e-9, highQuality: true }).coordinates.length).toBeGreaterThan(
      n,
    );
  });

  it('keeps a ring closed and valid', () => {
    const ring = wiggle(3000).coordinates;
    const g: Polygon = { type: 'Polygon', coordinates: [[...ring, [101.6, 36.69], ring[0]!]] };
    const out = simplifyToVertices(g, 50).coordinates[0]!;
    expect(out.length).toBeLessThanOrEqual(50);
    expect(out.length).toBeGreaterThanOrEqual(4);
    expect(out[0]).toEqual(out.at(-1));
  });
});

describe('gestures', () => {
  it('tells a click from a drag', () => {
    expect(
      isClick([
        [10, 10],
        [13, 12],
        [8, 9],
      ]),
    ).toBe(true);
    expect(
      isClick([
        [10, 10],
        [30, 10],
      ]),
    ).toBe(false);
    for (const kind of ['arrow', 'circle', 'outline'] as const)
      expect(
        annotationFromGesture(
          kind,
          [
            [200, 200],
            [202, 201],
          ],
          toLngLat,
        ),
      ).toBeNull();
  });

  it('makes an arrow from the press to the release, its head at the release', () => {
    const a = annotationFromGesture(
      'arrow',
      [
        [100, 100],
        [150, 130],
        [300, 200],
      ],
      toLngLat,
    )!;
    expect(a).toEqual({
      kind: 'arrow',
      text: '',
      geometry: {
        type: 'LineString',
        coordinates: [
          [101.701, 36.699],
          [101.703, 36.698],
        ],
      },
    });
    expect(annotation.parse(a)).toEqual(a);
  });

  it('makes a circle centred at the press through the release', () => {
    const a = annotationFromGesture(
      'circle',
      [
        [100, 100],
        [100, 300],
      ],
      toLngLat,
    )!;
    expect(a.kind).toBe('circle');
    expect(a.geometry.coordinates).toEqual([101.701, 36.699]);
    expect(a.kind === 'circle' && a.radiusMeters).toBe(
      Math.round(distance([101.701, 36.699], [101.701, 36.697], { units: 'meters' })),
    );
    expect(annotation.parse(a)).toEqual(a);
  });

  it('closes a freehand outline that ends near its start into an area', () => {
    const path = square(300, 10);
    expect(closesLoop(path)).toBe(true);
    const a = annotationFromGesture('outline', path, toLngLat)!;
    expect(a.geometry.type).toBe('Polygon');
    const ring = (a.geometry as Polygon).coordinates[0]!;
    expect(ring[0]).toEqual(ring.at(-1));
    expect(annotation.parse(a)).toEqual(a);
  });

  it('leaves one that ends far from its start a line, and a small jiggle no area', () => {
    const open = square(300, 60);
    expect(closesLoop(open)).toBe(false);
    expect(annotationFromGesture('outline', open, toLngLat)!.geometry.type).toBe('LineString');
    expect(closesLoop(square(12, 4))).toBe(false);
  });

  it('keeps a long freehand drawing within the vertex limit', () => {
    const path: XY[] = Array.from({ length: 9000 }, (_, i) => [
      10 + i * 0.1,
      300 + 80 * Math.sin(i / 40),
    ]);
    const a = annotationFromGesture('outline', path, toLngLat)!;
    const g = a.geometry as LineString;
    expect(g.coordinates.length).toBeLessThanOrEqual(BRIEFING_LIMITS.annotationVertices);
    expect(annotation.safeParse(a).success).toBe(true);
  });

  it('drops repeated positions and what cannot be an outline', () => {
    expect(
      outlineGeometry(
        [
          [101.7, 36.7],
          [101.7, 36.7],
        ],
        false,
      ),
    ).toBeNull();
    expect(
      outlineGeometry(
        [
          [101.7, 36.7],
          [101.71, 36.7],
          [101.71, 36.7],
        ],
        true,
      ),
    ).toEqual({
      type: 'LineString',
      coordinates: [
        [101.7, 36.7],
        [101.71, 36.7],
      ],
    });
  });
});

describe('hitAnnotation', () => {
  const notes: Annotation[] = [
    // a circle of about 222 m (≈ 200 px) around (500, 500)
    annotationFromGesture(
      'circle',
      [
        [500, 500],
        [500, 700],
      ],
      toLngLat,
    )!,
    annotationFromGesture(
      'arrow',
      [
        [400, 500],
        [600, 500],
      ],
      toLngLat,
    )!,
    {
      kind: 'text',
      text: '重点区域',
      geometry: { type: 'Point', coordinates: toLngLat([100, 100]) as [number, number] },
    },
  ];

  it('picks the nearest line, edge or text within the tolerance, the later drawn on a tie', () => {
    expect(hitAnnotation(notes, [450, 504], project)).toBe(1);
    expect(hitAnnotation(notes, [500, 500], project)).toBe(1);
    expect(hitAnnotation(notes, [500, 295], project)).toBe(0);
    // "重点区域" at 22 px is 88 px wide
    expect(hitAnnotation(notes, [140, 105], project, { textSize: 22 })).toBe(2);
    expect(hitAnnotation(notes, [160, 100], project, { textSize: 22 })).toBeNull();
  });

  it('picks an area that holds the click when no line is near, and nothing elsewhere', () => {
    expect(hitAnnotation(notes, [520, 620], project)).toBe(0);
    expect(hitAnnotation(notes, [900, 900], project)).toBeNull();
  });
});

describe('the drawings store', () => {
  const text = (s: string): Annotation => ({
    kind: 'text',
    text: s,
    geometry: { type: 'Point', coordinates: [101.7, 36.7] },
  });
  beforeEach(() => useAnnotations.getState().setAnnotations([]));

  it('refuses a drawing beyond the slide limit and keeps what it has', () => {
    const s = useAnnotations.getState;
    for (let i = 0; i < BRIEFING_LIMITS.annotationsPerSlide; i++)
      expect(s().add(text(`${i}`))).toBe(true);
    const before = s().annotations;
    expect(s().add(text('one more'))).toBe(false);
    expect(s().annotations).toBe(before);
    expect(s().annotations).toHaveLength(BRIEFING_LIMITS.annotationsPerSlide);
  });

  it('changes by new arrays, selecting what is added and following removals', () => {
    const s = useAnnotations.getState;
    s().add(text('a'));
    s().add(text('b'));
    s().add(text('c'));
    expect(s().selected).toBe(2);
    const before = s().annotations;
    s().update(1, text('B'));
    expect(before.map((a) => a.text)).toEqual(['a', 'b', 'c']);
    expect(s().annotations.map((a) => a.text)).toEqual(['a', 'B', 'c']);
    s().remove(0);
    expect(s().annotations.map((a) => a.text)).toEqual(['B', 'c']);
    expect(s().selected).toBe(1);
    s().remove(1);
    expect(s().selected).toBeNull();
    s().setEditing(true);
    s().select(0);
    s().setEditing(false);
    expect(s().selected).toBeNull();
  });
});

describe('annotationLayers', () => {
  it('draws nothing without drawings, and one scaled layer with some', () => {
    expect(annotationLayers([])).toEqual([]);
    const [l] = annotationLayers(
      [{ kind: 'text', text: '集合点', geometry: { type: 'Point', coordinates: [101.7, 36.7] } }],
      {
        scale: 1.8,
        selected: 0,
      },
    );
    expect(l!.id).toBe('annotations');
    expect(l!.props).toMatchObject({ scale: 1.8, selected: 0 });
  });
});
