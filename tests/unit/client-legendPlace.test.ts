/**
 * The legend's place: the corner where it hides least of the district, steady as the map moves
 * a little; and the room a fitted view leaves it beside the district.
 */
import { describe, expect, it } from 'vitest';
import { fitExtent, projectPoint, uniformPadding, type Extent } from '../../geo/viewExtent';
import {
  cornerRect,
  freestCorner,
  hiddenArea,
  intersects,
  paddingBeside,
  type ScreenRing,
} from '../../client/map/legendPlace';

const MAP = { width: 800, height: 600 };
const BOX = { width: 200, height: 150 };
const square = (x0: number, y0: number, x1: number, y1: number): ScreenRing => [
  [x0, y0],
  [x1, y0],
  [x1, y1],
  [x0, y1],
];

describe('the freest corner', () => {
  it('measures the part of a shape a rectangle hides, holes excepted', () => {
    const r = { x: 0, y: 0, width: 100, height: 100 };
    expect(hiddenArea(r, [[square(50, 50, 150, 150)]])).toBeCloseTo(2500);
    expect(hiddenArea(r, [[square(0, 0, 100, 100), square(10, 10, 20, 20)]])).toBeCloseTo(9900);
    expect(hiddenArea(r, [[square(200, 200, 300, 300)]])).toBe(0);
  });

  it('goes where the shape is not', () => {
    // a shape filling the map but for its top left corner
    const lShape: ScreenRing = [
      [300, 0],
      [800, 0],
      [800, 600],
      [0, 600],
      [0, 250],
      [300, 250],
    ];
    expect(freestCorner(MAP, BOX, [[lShape]])).toBe('top-left');
    // a shape on the right half: either left corner; the bottom one first
    expect(freestCorner(MAP, BOX, [[square(400, 0, 800, 600)]])).toBe('bottom-left');
    // nothing there: the usual corner
    expect(freestCorner(MAP, BOX, [])).toBe('bottom-right');
  });

  it('stays where it is unless another corner hides clearly less', () => {
    // a shape over the whole map: every corner hides as much, so the legend does not move
    const all = [[square(0, 0, 800, 600)]];
    expect(freestCorner(MAP, BOX, all, 'top-left')).toBe('top-left');
    // a sliver less elsewhere is not worth a jump: the map covered but for a notch bottom right
    const notched: ScreenRing = [
      [0, 0],
      [800, 0],
      [800, 570],
      [770, 570],
      [770, 600],
      [0, 600],
    ];
    expect(freestCorner(MAP, BOX, [[notched]], 'top-left')).toBe('top-left');
    // but a corner that hides nothing wins over one that hides a little
    expect(freestCorner(MAP, BOX, [[square(0, 0, 30, 30)]], 'top-left')).toBe('bottom-right');
    // a clear difference is
    expect(freestCorner(MAP, BOX, [[square(0, 0, 250, 200)]], 'top-left')).toBe('bottom-right');
  });
});

describe('room beside a fitted extent', () => {
  const DISTRICT: Extent = [101.562, 36.63, 101.804, 36.758];
  const shownRect = (map: typeof MAP, p: ReturnType<typeof uniformPadding>) => {
    const cam = fitExtent(DISTRICT, map, p);
    const [x0, y0] = projectPoint(cam, map, [DISTRICT[0], DISTRICT[3]]);
    const [x1, y1] = projectPoint(cam, map, [DISTRICT[2], DISTRICT[1]]);
    return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
  };

  it('keeps the legend clear of the district on a laptop map and on a wide screen', () => {
    for (const map of [
      { width: 796, height: 588 },
      { width: 3270, height: 1980 },
      { width: 500, height: 900 },
    ]) {
      const p = paddingBeside(map, DISTRICT, BOX, uniformPadding(40));
      expect(intersects(cornerRect('bottom-right', map, BOX), shownRect(map, p))).toBe(false);
    }
  });

  it('takes no room where the legend already stands clear, or when there is none', () => {
    const wide = { width: 3000, height: 600 };
    expect(paddingBeside(wide, DISTRICT, BOX, uniformPadding(40))).toEqual(uniformPadding(40));
    expect(paddingBeside(MAP, DISTRICT, null, uniformPadding(40))).toEqual(uniformPadding(40));
    // a legend wider than half the map: fitting beside it would leave too little
    const huge = { width: 700, height: 500 };
    expect(paddingBeside(MAP, DISTRICT, huge, uniformPadding(40))).toEqual(uniformPadding(40));
  });
});
