import { WebMercatorViewport } from '@deck.gl/core';
import { describe, expect, it } from 'vitest';
import {
  LABEL_PADDING,
  placeLabels,
  placeSets,
  textWidthEm,
  type Label,
  type LabelBox,
  type LabelSet,
} from '../../client/layers/labels';

const box = (x: number, y: number, priority = 0, width = 40, height = 14): LabelBox => ({
  x,
  y,
  width,
  height,
  priority,
});

/** true when no two shown boxes overlap */
function disjoint(boxes: LabelBox[], shown: boolean[]) {
  const s = boxes.filter((_, i) => shown[i]);
  return s.every((a, i) =>
    s.every(
      (b, j) =>
        i === j ||
        Math.abs(a.x - b.x) * 2 >= a.width + b.width ||
        Math.abs(a.y - b.y) * 2 >= a.height + b.height,
    ),
  );
}

describe('textWidthEm', () => {
  it('counts CJK characters and full-width brackets as one em, Latin narrower', () => {
    expect(textWidthEm('朝阳社区')).toBe(4);
    expect(textWidthEm('巡逻一组（夜）')).toBe(7);
    expect(textWidthEm('Mafang')).toBeCloseTo(3.6);
    expect(textWidthEm('')).toBe(0);
  });
});

describe('placeLabels', () => {
  it('shows every label when none overlap', () => {
    expect(placeLabels([box(0, 0), box(100, 0), box(0, 100)])).toEqual([true, true, true]);
  });

  it('of two overlapping labels shows the one of higher priority', () => {
    expect(placeLabels([box(0, 0, 1), box(10, 5, 2)])).toEqual([false, true]);
    expect(placeLabels([box(0, 0, 2), box(10, 5, 1)])).toEqual([true, false]);
  });

  it('breaks ties by order', () => {
    expect(placeLabels([box(0, 0, 5), box(10, 5, 5)])).toEqual([true, false]);
  });

  it('boxes that only touch both stay', () => {
    expect(placeLabels([box(0, 0, 1, 40), box(40, 0, 1, 40)])).toEqual([true, true]);
  });

  it('a label hidden by another does not hide a third', () => {
    // b overlaps a and c; a wins, b goes, and c (clear of a) stays
    const shown = placeLabels([box(0, 0, 3), box(30, 0, 2), box(60, 0, 1)]);
    expect(shown).toEqual([true, false, true]);
  });

  it('never shows two overlapping labels, whatever the layout', () => {
    let seed = 7;
    const rnd = () => ((seed = (seed * 16807) % 2147483647) / 2147483647) * 400;
    for (let t = 0; t < 50; t++) {
      const boxes = Array.from({ length: 60 }, () => box(rnd(), rnd(), Math.floor(rnd())));
      const shown = placeLabels(boxes);
      expect(disjoint(boxes, shown)).toBe(true);
      // and every hidden label overlaps a shown one of at least its priority
      boxes.forEach((b, i) => {
        if (shown[i]) return;
        const blocker = boxes.some(
          (o, j) =>
            shown[j] &&
            o.priority >= b.priority &&
            Math.abs(o.x - b.x) * 2 < o.width + b.width &&
            Math.abs(o.y - b.y) * 2 < o.height + b.height,
        );
        expect(blocker).toBe(true);
      });
    }
  });
});

describe('placeSets', () => {
  const label = (lon: number, lat: number, text: string, priority = 0): Label => ({
    position: [lon, lat],
    text,
    priority,
  });
  const town = label(101.75, 36.66, '马坊街道');
  // about 300 m east of the town's label
  const near = label(101.7533, 36.66, '幸福社区', 500);
  const far = label(101.8, 36.7, '小桥社区', 10);
  const sets: LabelSet[] = [
    { id: 'towns', labels: [town], size: 18, priority: 1000 },
    { id: 'communities', labels: [near, far], size: 14 },
  ];
  const at = (zoom: number) =>
    new WebMercatorViewport({ width: 1200, height: 800, longitude: 101.76, latitude: 36.67, zoom });

  it('a town wins over a community next to it when zoomed out', () => {
    const [towns, communities] = placeSets(at(12), sets);
    expect(towns).toEqual([town]);
    expect(communities).toEqual([far]);
  });

  it('zoomed in far enough both show', () => {
    const [towns, communities] = placeSets(at(16), sets);
    expect(towns).toEqual([town]);
    expect(communities).toEqual([near, far]);
  });

  it('places the sets together: a lone set shows all it has', () => {
    const [communities] = placeSets(at(12), [sets[1]!]);
    expect(communities).toEqual([near, far]);
  });

  it('measures boxes in pixels with the padding', () => {
    // at the zoom where their centres are just farther apart than the boxes' half widths the
    // two labels part: 4 em × 18 px and 4 em × 14 px, padded
    const v = at(14);
    const dx = v.project(near.position)[0]! - v.project(town.position)[0]!;
    const needed = ((4 * 18 + 4 * 14) * LABEL_PADDING) / 2;
    const [, communities] = placeSets(v, sets);
    expect(communities!.includes(near)).toBe(dx >= needed);
  });
});
