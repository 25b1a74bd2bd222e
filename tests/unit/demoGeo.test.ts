import { area, booleanValid, distance, feature, featureCollection, union } from '@turf/turf';
import type { Polygon } from 'geojson';
import { describe, expect, it } from 'vitest';
import { approxDistanceMeters } from '../../geo/approxDistanceMeters';
import { areaBBox } from '../../geo/areaBBox';
import { areaCentroid } from '../../geo/areaCentroid';
import { clippedVoronoi } from '../../geo/clippedVoronoi';
import { createAreaIndex } from '../../geo/createAreaIndex';
import { findAreaProblems } from '../../geo/findAreaProblems';
import { lineLengthMeters } from '../../geo/lineLengthMeters';
import { offsetPosition } from '../../geo/offsetPosition';
import { pointAlongLine } from '../../geo/pointAlongLine';
import { pointInArea } from '../../geo/pointInArea';
import { randomPointInArea } from '../../geo/randomPointInArea';
import { rewindArea } from '../../geo/rewindArea';
import { roundArea } from '../../geo/roundArea';
import { signedRingArea } from '../../geo/signedRingArea';
import { createRng } from '../../server/demo/random';

const square: Polygon = {
  type: 'Polygon',
  coordinates: [
    [
      [0, 0],
      [1, 0],
      [1, 1],
      [0, 1],
      [0, 0],
    ],
  ],
};
const donut: Polygon = {
  type: 'Polygon',
  coordinates: [
    square.coordinates[0]!,
    [
      [0.25, 0.25],
      [0.25, 0.75],
      [0.75, 0.75],
      [0.75, 0.25],
      [0.25, 0.25],
    ],
  ],
};

describe('geo helpers', () => {
  it('signedRingArea is positive counter-clockwise, negative clockwise', () => {
    expect(signedRingArea(square.coordinates[0]!)).toBe(1);
    expect(signedRingArea([...square.coordinates[0]!].reverse())).toBe(-1);
    expect(() => signedRingArea([[0, 0]])).toThrow(Error);
  });

  it('rewindArea makes exteriors counter-clockwise and holes clockwise', () => {
    const cw: Polygon = {
      type: 'Polygon',
      coordinates: [[...donut.coordinates[0]!].reverse(), [...donut.coordinates[1]!].reverse()],
    };
    const r = rewindArea(cw);
    expect(signedRingArea(r.coordinates[0]!)).toBeGreaterThan(0);
    expect(signedRingArea(r.coordinates[1]!)).toBeLessThan(0);
    expect(cw.coordinates[0]![1]).toEqual([0, 1]); // input untouched
    expect(() => rewindArea({ type: 'Point', coordinates: [0, 0] } as never)).toThrow(Error);
  });

  it('roundArea rounds, removes spikes and repeats, and drops collapsed parts', () => {
    const spiky: Polygon = {
      type: 'Polygon',
      coordinates: [
        [
          [0, 0],
          [1.0000004, 0],
          [1, 0],
          [1, 1],
          [1, 2],
          [1, 1],
          [0, 1],
          [0, 0],
        ],
      ],
    };
    const r = roundArea(spiky, 6)!;
    expect(r.type).toBe('Polygon');
    expect(findAreaProblems(r)).toEqual([]);
    expect(area(r)).toBeCloseTo(area(square), 0);
    const sliver: Polygon = {
      type: 'Polygon',
      coordinates: [
        [
          [0, 0],
          [1, 0],
          [1, 0.0000001],
          [0, 0],
        ],
      ],
    };
    expect(roundArea(sliver, 6)).toBeNull();
    // a tiny loop where an edge crosses the edge two places on (as rounding makes them)
    const kinked: Polygon = {
      type: 'Polygon',
      coordinates: [
        [
          [103, 8],
          [0, 0],
          [2, 0],
          [390, 166],
          [390, 400],
          [103, 400],
          [103, 8],
        ],
      ],
    };
    expect(findAreaProblems(kinked).some((p) => p.includes('cross'))).toBe(true);
    expect(findAreaProblems(roundArea(kinked, 0)!)).toEqual([]);
    expect(() => roundArea(square, -1)).toThrow(Error);
  });

  it('pointInArea respects holes', () => {
    expect(pointInArea(0.1, 0.1, donut)).toBe(true);
    expect(pointInArea(0.5, 0.5, donut)).toBe(false);
    expect(pointInArea(2, 0.5, donut)).toBe(false);
    expect(() => pointInArea(NaN, 0, donut)).toThrow(Error);
  });

  it('createAreaIndex finds the containing area', () => {
    const right: Polygon = {
      type: 'Polygon',
      coordinates: [square.coordinates[0]!.map(([x, y]) => [x! + 1, y!])],
    };
    const index = createAreaIndex([square, right], 16);
    expect(index.find(0.5, 0.5)).toBe(0);
    expect(index.find(1.5, 0.5)).toBe(1);
    expect(index.find(3, 3)).toBe(-1);
    expect(() => createAreaIndex([])).toThrow(Error);
  });

  it('clippedVoronoi tiles the clip area', () => {
    const pts = [
      [0.2, 0.2],
      [0.8, 0.3],
      [0.5, 0.8],
      [0.1, 0.9],
    ];
    const cells = clippedVoronoi(pts, donut);
    expect(cells).toHaveLength(4);
    const total = cells.reduce((s, c) => s + (c ? area(c) : 0), 0);
    expect(total / area(donut)).toBeCloseTo(1, 6);
    const merged = union(featureCollection(cells.filter((c) => c !== null).map((c) => feature(c))));
    expect(area(merged!) / area(donut)).toBeCloseTo(1, 6);
    expect(() =>
      clippedVoronoi(
        [
          [0, 0],
          [0, 0],
        ],
        square,
      ),
    ).toThrow(/duplicate/);
  });

  it('areaCentroid, areaBBox', () => {
    expect(areaCentroid(square)).toEqual([0.5, 0.5]);
    expect(areaCentroid(donut)[0]).toBeCloseTo(0.5, 12);
    expect(areaBBox(donut)).toEqual([0, 0, 1, 1]);
  });

  it('distances and offsets agree with Turf within 0.2% at city scale', () => {
    const a = [101.75, 36.66];
    const b = [101.78, 36.7];
    expect(
      approxDistanceMeters(a, b) / (distance(a, b, { units: 'meters' }) as number),
    ).toBeCloseTo(1, 2);
    const moved = offsetPosition(a, 300, 400);
    expect(approxDistanceMeters(a, moved)).toBeCloseTo(500, 0);
    expect(lineLengthMeters([a, b, a])).toBeCloseTo(2 * approxDistanceMeters(a, b), 6);
    const mid = pointAlongLine(
      [
        [101.75, 36.66],
        [101.76, 36.66],
      ],
      0.5,
    );
    expect(mid.position[0]).toBeCloseTo(101.755, 9);
    expect(mid.bearing).toBeCloseTo(90, 6);
    expect(() => pointAlongLine([a], 0.5)).toThrow(Error);
    expect(() => offsetPosition(a, NaN, 0)).toThrow(Error);
  });

  it('randomPointInArea is inside, rounded and reproducible', () => {
    const r1 = createRng('t');
    const r2 = createRng('t');
    for (let i = 0; i < 50; i++) {
      const p = randomPointInArea(donut, r1.float, 6);
      expect(pointInArea(p[0]!, p[1]!, donut)).toBe(true);
      expect(p).toEqual(randomPointInArea(donut, r2.float, 6));
    }
  });

  it('findAreaProblems reports crossings, winding and openness', () => {
    expect(findAreaProblems(square)).toEqual([]);
    expect(booleanValid(square)).toBe(true);
    const bowtie: Polygon = {
      type: 'Polygon',
      coordinates: [
        [
          [0, 0],
          [1, 1],
          [1, 0],
          [0, 1],
          [0, 0],
        ],
      ],
    };
    expect(findAreaProblems(bowtie).some((p) => p.includes('cross'))).toBe(true);
    const cw: Polygon = { type: 'Polygon', coordinates: [[...square.coordinates[0]!].reverse()] };
    expect(findAreaProblems(cw)).toEqual(['polygon 0 ring 0: exterior is clockwise']);
  });
});
