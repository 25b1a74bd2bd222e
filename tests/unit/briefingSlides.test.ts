/**
 * A briefing slide's view is the desk's view (client/state/view.ts) as its URL keeps it: any view
 * the desk can hold is a valid slide view, and what a URL could never carry is refused, bounded.
 * Drawings are WGS84 GeoJSON with bounded vertices.
 */
import { describe, expect, it } from 'vitest';
import { PANELS, defaultView, searchToView, type View } from '../../client/state/view';
import { BRIEFING_LIMITS, SLIDE_PANELS } from '../../domain/briefing';
import { annotation, slide, slides, slideView } from '../../server/briefingInputs';
import {
  changeText,
  cameraOver,
  monthLabel,
  monthRanges,
} from '../../server/services/briefingMonth';

/**
 * A desk view as a slide's view carries it: the mode is the page and the language the viewer's;
 * the comparison is the slide's own field.
 */
const asSlideView = ({ mode: _mode, lang: _lang, comparison: _comparison, ...v }: View) => v;

const fields = (r: { success: boolean; error?: { issues: { path: PropertyKey[] }[] } }) =>
  r.error?.issues.map((i) => i.path.join('.')) ?? [];

describe('slide views', () => {
  it('accepts every view the desk can hold, and keeps it as it is', () => {
    const views = [
      defaultView(),
      searchToView(
        'at=101.75432,36.62118,14.25&layers=points,cameras,hotspots&op=points:35&w=2026-06-01..2026-07-01&cat=fire,criminal&community=12&incident=345&panel=rankings&rank=year&todate=1',
      ),
      searchToView('w=quarter&panel=plan'),
    ];
    for (const v of views) {
      const r = slideView.safeParse(asSlideView(v));
      expect(r.success, JSON.stringify(r.error?.issues)).toBe(true);
      expect(r.data).toEqual({ ...asSlideView(v), basemap: 'configured' });
    }
    expect([...SLIDE_PANELS]).toEqual([...PANELS]);
  });

  it('refuses what no desk view is, naming the field', () => {
    const v = asSlideView(defaultView());
    const bad = (patch: object) => fields(slideView.safeParse({ ...v, ...patch }));
    expect(bad({ camera: { lon: 200, lat: 36, zoom: 11 } })).toEqual(['camera.lon']);
    expect(bad({ camera: { lon: 101, lat: 36, zoom: 23 } })).toEqual(['camera.zoom']);
    expect(bad({ layers: { ...v.layers, roads: { on: true, opacity: 1 } } })).toEqual(['layers']);
    expect(bad({ layers: { heat: { on: true, opacity: 1.5 } } })).toEqual(['layers.heat.opacity']);
    expect(bad({ window: { from: '2026-02-30', to: '2026-03-05' } })).toContain('window.from');
    expect(bad({ window: { from: '2026-03-05', to: '2026-03-01' } })).toContain('window.to');
    expect(bad({ window: { from: '2000-01-01', to: '2026-01-01' } })).toContain('window.to');
    expect(bad({ window: { preset: '90d' } })).toEqual(['window']);
    expect(bad({ categories: ['fire', 'fire'] })).toEqual(['categories']);
    expect(bad({ categories: ['arson'] })).toEqual(['categories.0']);
    expect(bad({ communityId: 0 })).toEqual(['communityId']);
    expect(bad({ panel: 'admin' })).toEqual(['panel']);
    expect(bad({ basemap: 'satellite' })).toEqual(['basemap']);
  });
});

describe('slide extents', () => {
  const v = asSlideView(defaultView());
  const bad = (extent: unknown) => fields(slideView.safeParse({ ...v, extent }));

  it('keeps the area a slide shows, [west, south, east, north]', () => {
    const extent = [101.562, 36.63, 101.804, 36.758];
    expect(slideView.parse({ ...v, extent }).extent).toEqual(extent);
    expect(slideView.parse(v).extent).toBeUndefined();
  });

  it('refuses an extent off the globe or turned inside out, naming the corner', () => {
    expect(bad([-181, 36.6, 101.8, 36.7])).toEqual(['extent.0']);
    expect(bad([101.5, -86, 101.8, 36.7])).toEqual(['extent.1']);
    expect(bad([101.8, 36.6, 101.5, 36.7])).toEqual(['extent.2']);
    expect(bad([101.5, 36.7, 101.8, 36.7])).toEqual(['extent.3']);
    expect(bad([101.5, 36.6, 101.8])).toEqual(['extent']);
  });
});

describe('annotations', () => {
  const line = (n: number) => Array.from({ length: n }, (_, i) => [101.7 + i * 1e-5, 36.6]);

  it('takes a label, an arrow, a circle and a freehand outline', () => {
    for (const a of [
      { kind: 'text', text: '重点区域', geometry: { type: 'Point', coordinates: [101.7, 36.6] } },
      { kind: 'arrow', geometry: { type: 'LineString', coordinates: line(2) } },
      {
        kind: 'circle',
        text: '500米',
        radiusMeters: 500,
        geometry: { type: 'Point', coordinates: [101.7, 36.6] },
      },
      { kind: 'outline', geometry: { type: 'LineString', coordinates: line(300) } },
      {
        kind: 'outline',
        geometry: {
          type: 'Polygon',
          coordinates: [
            [
              [101.7, 36.6],
              [101.71, 36.6],
              [101.71, 36.61],
              [101.7, 36.6],
            ],
          ],
        },
      },
    ])
      expect(annotation.safeParse(a).success, JSON.stringify(a)).toBe(true);
  });

  it('refuses too many vertices, open rings, a label without text and a kind without its shape', () => {
    const at = (lon: number, lat: number) => ({ type: 'Point', coordinates: [lon, lat] });
    const openRing = [
      [101.7, 36.6],
      [101.71, 36.6],
      [101.71, 36.61],
      [101.7, 36.7],
    ];
    const n = BRIEFING_LIMITS.annotationVertices + 1;
    const cases: [object, string][] = [
      [
        { kind: 'outline', geometry: { type: 'LineString', coordinates: line(n) } },
        'geometry.coordinates',
      ],
      [
        { kind: 'outline', geometry: { type: 'Polygon', coordinates: [openRing] } },
        'geometry.coordinates',
      ],
      [{ kind: 'text', text: ' ', geometry: at(101.7, 36.6) }, 'text'],
      [{ kind: 'circle', geometry: at(101.7, 36.6) }, 'radiusMeters'],
      [{ kind: 'arrow', geometry: at(101.7, 36.6) }, 'geometry.type'],
      [{ kind: 'text', text: 'x', geometry: at(101.7, 95) }, 'geometry.coordinates.1'],
    ];
    for (const [a, field] of cases) expect(fields(annotation.safeParse(a)), field).toContain(field);
  });
});

describe('slides', () => {
  const one = { title: '概况', view: asSlideView(defaultView()) };

  it('fills the optional parts and bounds the lengths and counts', () => {
    expect(slide.parse(one)).toMatchObject({ notes: '', annotations: [], comparison: null });
    expect(
      fields(slide.safeParse({ ...one, notes: 'x'.repeat(BRIEFING_LIMITS.notes + 1) })),
    ).toEqual(['notes']);
    expect(
      fields(slide.safeParse({ ...one, title: 'x'.repeat(BRIEFING_LIMITS.title + 1) })),
    ).toEqual(['title']);
    expect(
      fields(slide.safeParse({ ...one, comparison: { against: 'lastYear', mode: 'fade' } })),
    ).toEqual(['comparison.mode']);
    expect(fields(slides.safeParse(Array(BRIEFING_LIMITS.slides + 1).fill(one)))).toEqual(['']);
  });
});

describe('the monthly template’s pieces', () => {
  it('writes changes with a sign and one decimal, and a dash without a base', () => {
    expect(changeText(1234, 1302)).toBe('-5.2%');
    expect(changeText(1234, 1197)).toBe('+3.1%');
    expect(changeText(5, 5)).toBe('0.0%');
    expect(changeText(5, 0)).toBe('—');
    expect(changeText(5, null)).toBe('—');
  });

  it('takes the month, the month before and the same month last year in local time', () => {
    expect(monthLabel('2026-01')).toBe('2026年1月');
    const r = monthRanges('2026-03');
    expect(r.month).toEqual({
      from: Date.parse('2026-03-01T00:00:00+08:00'),
      to: Date.parse('2026-04-01T00:00:00+08:00'),
    });
    expect(r.previous.from).toBe(Date.parse('2026-02-01T00:00:00+08:00'));
    expect(r.previous.to).toBe(r.month.from);
    expect(r.lastYear).toEqual({
      from: Date.parse('2025-03-01T00:00:00+08:00'),
      to: Date.parse('2025-04-01T00:00:00+08:00'),
    });
  });

  it('frames the district', () => {
    const c = cameraOver([101.6, 36.55, 101.85, 36.75]);
    expect(c.lon).toBeCloseTo(101.725, 5);
    expect(c.lat).toBeCloseTo(36.65, 5);
    expect(c.zoom).toBeGreaterThan(10);
    expect(c.zoom).toBeLessThan(12.5);
  });
});
