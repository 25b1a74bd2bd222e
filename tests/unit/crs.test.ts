/**
 * Coordinate systems against tools nobody here wrote: GDAL's gdaltransform (proj) for the
 * projected systems and the .prj texts it writes, gcoord for GCJ-02 and BD-09.
 */
import { execFileSync } from 'node:child_process';
import gcoord from 'gcoord';
import { describe, expect, it } from 'vitest';
import { epsgTm, parseCrs, tmEpsg } from '../../geo/crs';
import { crsFromPrj } from '../../geo/crsFromPrj';
import { guessCrs } from '../../geo/guessCrs';
import { approxDistanceMeters } from '../../geo/approxDistanceMeters';

// across Chengbei and a little beyond
const POINTS: Array<[number, number]> = [
  [101.7, 36.63],
  [101.77, 36.66],
  [101.83, 36.74],
  [101.6, 36.6],
  [102.3, 36.9],
];

function gdal(epsg: number, points: Array<[number, number]>, inverse = false): number[][] {
  const input = points.map(([x, y]) => `${x} ${y}`).join('\n');
  const [from, to] = inverse ? [`EPSG:${epsg}`, 'EPSG:4326'] : ['EPSG:4326', `EPSG:${epsg}`];
  // -s_srs/-t_srs with traditional GIS order: lon lat in, easting northing out
  const out = execFileSync('gdaltransform', ['-s_srs', from, '-t_srs', to, '-output_xy'], {
    input,
    env: { ...process.env, OGR_CT_FORCE_TRADITIONAL_GIS_ORDER: 'YES' },
  }).toString();
  return out
    .trim()
    .split('\n')
    .map((l) => l.trim().split(/\s+/).map(Number));
}

describe('projected systems match proj (gdaltransform)', () => {
  it.each([4543, 4522, 4502, 4497, 4534, 32647])(
    'EPSG:%i both ways within a millimetre',
    (epsg) => {
      const crs = parseCrs(`EPSG:${epsg}`);
      const expected = gdal(epsg, POINTS);
      POINTS.forEach(([lon, lat], i) => {
        const [x, y] = crs.fromWgs84(lon, lat);
        expect(Math.abs(x - expected[i]![0]!)).toBeLessThan(0.001);
        expect(Math.abs(y - expected[i]![1]!)).toBeLessThan(0.001);
      });
      const back = gdal(epsg, expected as Array<[number, number]>, true);
      expected.forEach(([x, y], i) => {
        const [lon, lat] = crs.toWgs84(x!, y!);
        expect(approxDistanceMeters([lon, lat], back[i] as [number, number])).toBeLessThan(0.001);
        expect(approxDistanceMeters([lon, lat], POINTS[i]!)).toBeLessThan(0.001);
      });
    },
  );

  it('every catalogue code round-trips through its parameters', () => {
    for (const epsg of [...range(4491, 4554), ...range(32601, 32660)]) {
      const tm = epsgTm(epsg);
      expect(tm, String(epsg)).not.toBeNull();
      expect(tmEpsg(tm!)).toBe(
        // a 6-degree central meridian without zone prefix is also a 3-degree one: one code wins
        epsg >= 4502 && epsg <= 4512 ? 4534 + (tm!.centralMeridian - 75) / 3 : epsg,
      );
    }
  });
});

describe('.prj texts', () => {
  it.each([4326, 4490, 4543, 4522, 4491, 4502, 32648])(
    'reads the .prj GDAL writes for EPSG:%i, and writes one GDAL reads back as the same system',
    (epsg) => {
      const esri = execFileSync('gdalsrsinfo', ['-o', 'wkt_esri', `EPSG:${epsg}`]).toString();
      const crs = crsFromPrj(esri);
      const expectedEpsg = epsg === 4502 ? 4534 + (75 - 75) / 3 : epsg;
      expect(crs.epsg).toBe(expectedEpsg);
      const ogc = execFileSync('gdalsrsinfo', ['-o', 'wkt1', `EPSG:${epsg}`]).toString();
      expect(crsFromPrj(ogc).epsg).toBe(expectedEpsg);
      // GDAL identifies our own .prj text as the same EPSG code
      const identified = execFileSync('gdalsrsinfo', ['-e', '-o', 'epsg', crs.prj]).toString();
      expect(identified).toContain(`EPSG:${expectedEpsg}`);
    },
  );

  it('names GCJ-02 and BD-09 so that they read back', () => {
    expect(crsFromPrj(parseCrs('gcj02').prj).id).toBe('gcj02');
    expect(crsFromPrj(parseCrs('bd09').prj).id).toBe('bd09');
  });

  it('refuses other datums and projections by name', () => {
    const xian = execFileSync('gdalsrsinfo', ['-o', 'wkt_esri', 'EPSG:2383']).toString();
    expect(() => crsFromPrj(xian)).toThrow(/Xian_1980.*not supported|datum.*not supported/);
    const lambert = execFileSync('gdalsrsinfo', ['-o', 'wkt_esri', 'EPSG:3415']).toString();
    expect(() => crsFromPrj(lambert)).toThrow(/projection .* is not supported/);
    expect(() => crsFromPrj('hello')).toThrow(/not a WKT/);
    expect(() => crsFromPrj('')).toThrow(/empty/);
  });
});

describe('offset systems match gcoord', () => {
  it.each(['gcj02', 'bd09'] as const)('%s within a metre both ways', (id) => {
    const crs = parseCrs(id);
    const system = id === 'gcj02' ? gcoord.GCJ02 : gcoord.BD09;
    for (const p of POINTS) {
      const shifted = crs.fromWgs84(...p);
      const expected = gcoord.transform(p, gcoord.WGS84, system) as [number, number];
      expect(approxDistanceMeters(shifted, expected)).toBeLessThan(1);
      expect(approxDistanceMeters(crs.toWgs84(...shifted), p)).toBeLessThan(1);
      // the shift itself is real: hundreds of metres
      expect(approxDistanceMeters(shifted, p)).toBeGreaterThan(100);
    }
  });
});

describe('parseCrs', () => {
  it('takes names and codes in any usual spelling', () => {
    expect(parseCrs('WGS84').id).toBe('wgs84');
    expect(parseCrs('GCJ-02').id).toBe('gcj02');
    expect(parseCrs('bd-09').id).toBe('bd09');
    expect(parseCrs('CGCS2000').epsg).toBe(4490);
    expect(parseCrs('4543').id).toBe('EPSG:4543');
    expect(parseCrs('epsg:4326').id).toBe('wgs84');
  });
  it('refuses others saying what it takes', () => {
    expect(() => parseCrs('EPSG:3857')).toThrow(/not supported: use wgs84/);
    expect(() => parseCrs('mars')).toThrow(/"mars" is not supported/);
  });
});

describe('guessCrs', () => {
  // a box around central Chengbei stands for the district
  const inside = (lon: number, lat: number) =>
    lon > 101.68 && lon < 101.84 && lat > 36.62 && lat < 36.74;
  const wgs: Array<[number, number]> = [
    [101.7, 36.64],
    [101.75, 36.68],
    [101.81, 36.72],
    [101.69, 36.63],
  ];

  it('offers GCJ-02 first for points picked on an online map', () => {
    // right at the district edge: in WGS84 the shifted points fall outside
    const edge: Array<[number, number]> = wgs.map(([lon, lat]) => [101.839 - (lon - 101.69), lat]);
    const picked = edge.map((p) => parseCrs('gcj02').fromWgs84(...p));
    const guesses = guessCrs(picked, inside);
    expect(guesses[0]!.crs).toBe('gcj02');
    expect(guesses[0]!.inside).toBe(1);
    expect(guesses.find((g) => g.crs === 'wgs84')!.inside).toBeLessThan(1);
  });

  it('finds the Gauss-Krüger zone from metres, with or without the zone number', () => {
    const prefixed = wgs.map((p) => parseCrs('EPSG:4522').fromWgs84(...p));
    expect(guessCrs(prefixed, inside).map((g) => g.crs)).toEqual(['EPSG:4522']);
    const plain = wgs.map((p) => parseCrs('EPSG:4543').fromWgs84(...p));
    const guesses = guessCrs(plain, inside);
    expect(guesses[0]).toMatchObject({ crs: 'EPSG:4543', inside: 1 });
    expect(guesses.every((g, i) => i === 0 || g.inside < 1)).toBe(true);
  });

  it('offers nothing for no usable points', () => {
    expect(guessCrs([[NaN, 1]], inside)).toEqual([]);
  });
});

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}
