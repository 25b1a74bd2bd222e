/** The geometry of exported pictures: sizes, the zoom that keeps an extent, scale bars, names. */
import { describe, expect, it } from 'vitest';
import {
  exportPlan,
  fileName,
  REFERENCE_MAP,
  scaleBar,
  SIDE_PX,
} from '../../client/briefing/export/layout';
import { printedBriefing } from '../../client/briefing/export/PrintView';
import { viewOfSlide } from '../../client/briefing/slideView';
import { metresPerPixel } from '../../geo/metresPerPixel';
import { DEFAULT_LAYERS } from '../../client/state/view';
import { modeOfPath } from '../../client/state/viewStore';

describe('exportPlan', () => {
  const screen = { width: 1001.4, height: 599.6 };
  it('makes 2× exactly twice 1× both ways, with the same view', () => {
    const one = exportPlan('1x', screen);
    const two = exportPlan('2x', screen);
    expect(one).toEqual({
      pixelRatio: 1,
      map: { width: 1001, height: 600 },
      zoomDelta: 0,
      image: { width: 1001 + SIDE_PX, height: 600 },
    });
    expect(two.image).toEqual({ width: one.image.width * 2, height: one.image.height * 2 });
    expect(two.zoomDelta).toBe(0);
  });

  it("makes 4K 3840 × 2160 and zooms so that the screen's whole extent fits", () => {
    const p = exportPlan('4k', screen);
    expect(p.image).toEqual({ width: 3840, height: 2160 });
    // the map is 1600 × 1080 CSS pixels: the narrower ratio (height 1080/600) decides
    const k = 2 ** p.zoomDelta;
    expect(k).toBeCloseTo(Math.min(p.map.width / 1001, 1080 / 600), 9);
    expect(1001 * k).toBeLessThanOrEqual(p.map.width + 1e-6);
    expect(600 * k).toBeLessThanOrEqual(p.map.height + 1e-6);
  });

  it("keeps a slide's reference extent in a map of another size", () => {
    const p = exportPlan('2x', { width: 960, height: 600 }, REFERENCE_MAP);
    expect(2 ** p.zoomDelta).toBeCloseTo(0.75, 9);
  });

  it('refuses a map with no pixels', () => {
    expect(() => exportPlan('1x', { width: 0, height: 600 })).toThrow(/0 × 600/);
  });
});

describe('scaleBar', () => {
  it('picks the longest 1-2-5 length that fits, and its pixels', () => {
    const bar = scaleBar(36.69, 11.3, 180);
    expect(bar.metres).toBe(2000);
    expect(bar.px).toBeCloseTo(2000 / metresPerPixel(36.69, 11.3), 9);
    expect(bar.px).toBeLessThanOrEqual(180);
    expect(scaleBar(36.69, 16, 100).metres).toBe(50);
  });
});

describe('fileName', () => {
  it('joins the parts with - and drops what file systems refuse', () => {
    expect(fileName(['城北区', '近30天', '2026-12-04'], 'png')).toBe(
      '城北区-近30天-2026-12-04.png',
    );
    expect(fileName(['城北区', 'a/b:c*', ''], 'pdf')).toBe('城北区-a b c.pdf');
    expect(fileName([], 'png')).toBe('map.png');
  });
});

describe('the print view', () => {
  it('is the mode of /briefing/<id>/print, and names its briefing', () => {
    expect(modeOfPath('/briefing/12/print')).toBe('print');
    expect(modeOfPath('/briefing/12/print/')).toBe('print');
    expect(modeOfPath('/briefing/12')).not.toBe('print');
    expect(printedBriefing('/briefing/12/print')).toBe(12);
    expect(printedBriefing('/briefing/0/print')).toBeNull();
    expect(printedBriefing('/briefing/x/print')).toBeNull();
  });

  it("reads a slide's view as the desk's: unnamed layers off, default opacities", () => {
    const v = viewOfSlide(
      {
        camera: { lon: 101.7, lat: 36.6, zoom: 12 },
        layers: { heat: { on: true }, cameras: { on: true, opacity: 0.3 } },
        window: { from: '2026-05-01', to: '2026-06-01' },
        categories: ['criminal'],
        communityId: 3,
        incidentId: null,
        panel: 'rankings',
        rankPeriod: 'quarter',
        rankToDate: true,
        basemap: 'none',
      },
      { lang: 'en', mode: 'print' },
    );
    expect(v.layers.heat).toEqual({ on: true, opacity: DEFAULT_LAYERS.heat.opacity });
    expect(v.layers.cameras).toEqual({ on: true, opacity: 0.3 });
    expect(v.layers.towns.on).toBe(false);
    expect(v).toMatchObject({ lang: 'en', mode: 'print', communityId: 3, panel: 'rankings' });
  });
});
