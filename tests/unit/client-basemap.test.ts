import { describe, expect, it } from 'vitest';
import {
  basemapStyle,
  displayOffset,
  displayShift,
  DISTRICT_CENTRE,
} from '../../client/map/basemap';
import { gcj02Offset } from '../../geo/gcj02Offset';
import { basemapOf } from '../../server/basemap';

describe('basemapOf', () => {
  it('is none unless configured, and prefers a style to tiles to PMTiles', () => {
    expect(basemapOf({})).toEqual({ kind: 'none' });
    const tiles =
      'https://t0.tianditu.gov.cn/vec_w/wmts?TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk=KEY';
    expect(basemapOf({ BASEMAP_TILES: tiles, BASEMAP_CRS: 'cgcs2000' })).toMatchObject({
      kind: 'tiles',
      tiles: [tiles],
      crs: 'wgs84',
    });
    expect(basemapOf({ BASEMAP_STYLE_URL: 'http://x/style.json', BASEMAP_TILES: tiles }).kind).toBe(
      'style',
    );
    expect(
      basemapOf({ BASEMAP_PMTILES: '/srv/maps/xining.pmtiles', BASEMAP_CRS: 'gcj02' }),
    ).toMatchObject({
      kind: 'pmtiles',
      url: '/basemap/xining.pmtiles',
      crs: 'gcj02',
    });
  });
});

describe('basemapStyle', () => {
  it('with no basemap is a dark ground and nothing to fetch', () => {
    const style = basemapStyle({ kind: 'none' });
    expect(typeof style).toBe('object');
    if (typeof style === 'string') return;
    expect(style.sources).toEqual({});
    expect(style.layers.map((l) => l.type)).toEqual(['background']);
  });
  it('puts raster tiles above the ground and under everything else', () => {
    const style = basemapStyle({
      kind: 'tiles',
      tiles: ['http://t/{z}/{x}/{y}.png'],
      crs: 'wgs84',
      attribution: '©',
      maxZoom: 17,
    });
    if (typeof style === 'string') throw new Error('expected a style object');
    expect(style.layers.map((l) => l.id)).toEqual(['ground', 'basemap']);
    expect(style.sources.basemap).toMatchObject({
      type: 'raster',
      tiles: ['http://t/{z}/{x}/{y}.png'],
      maxzoom: 17,
    });
  });
  it('reads PMTiles through the pmtiles protocol from our own server', () => {
    const style = basemapStyle(
      { kind: 'pmtiles', url: '/basemap/x.pmtiles', crs: 'wgs84', attribution: '', maxZoom: 16 },
      'http://h:3000',
    );
    if (typeof style === 'string') throw new Error('expected a style object');
    expect(style.sources.basemap).toMatchObject({
      url: 'pmtiles://http://h:3000/basemap/x.pmtiles',
    });
  });
  it('hands a style URL to MapLibre as it is', () => {
    expect(basemapStyle({ kind: 'style', url: 'http://x/style.json', crs: 'wgs84' })).toBe(
      'http://x/style.json',
    );
  });
});

describe('displayShift', () => {
  it('moves layers by the GCJ-02 offset only on GCJ-02 basemaps', () => {
    expect(displayShift({ kind: 'none' })).toBeNull();
    expect(displayShift({ kind: 'style', url: 'x', crs: 'wgs84' })).toBeNull();
    const m = displayShift({ kind: 'style', url: 'x', crs: 'gcj02' })!;
    const [dx, dy] = gcj02Offset(DISTRICT_CENTRE);
    expect(m[12]).toBeCloseTo(dx, 12);
    expect(m[13]).toBeCloseTo(dy, 12);
    expect([m[0], m[5], m[10], m[15]]).toEqual([1, 1, 1, 1]);
  });
});

describe('displayOffset', () => {
  it('is the same offset in degrees, for MapLibre layers, and null off GCJ-02', () => {
    expect(displayOffset({ kind: 'none' })).toBeNull();
    expect(displayOffset({ kind: 'style', url: 'x', crs: 'wgs84' })).toBeNull();
    expect(displayOffset({ kind: 'style', url: 'x', crs: 'gcj02' })).toEqual(
      gcj02Offset(DISTRICT_CENTRE),
    );
  });
});
