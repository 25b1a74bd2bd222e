/**
 * The coordinate system a Shapefile's .prj names (ESRI or OGC WKT 1, as GDAL, ArcGIS and
 * SuperMap write it): WGS84 or CGCS2000 geographic, the GCJ-02 / BD-09 names our exports write,
 * or any transverse Mercator (Gauss-Krüger, UTM) on the CGCS2000 or WGS84 datum — a catalogue
 * code when the parameters match one. Systems on other datums (Beijing 1954, Xian 1980) need
 * seven transformation parameters no file carries: they are refused with their name rather
 * than placed a hundred metres off.
 *
 * @example
 *   crsFromPrj('PROJCS["CGCS2000_3_Degree_GK_CM_102E",GEOGCS[…],PROJECTION["Gauss_Kruger"],…]').id;
 *   // 'EPSG:4543'
 */
import { parseCrs, tmEpsg, transverseMercator, type Crs } from './crs';

export function crsFromPrj(wkt: string): Crs {
  const text = String(wkt).trim();
  if (!text) throw new Error('the .prj file is empty');
  if (text.length > 20_000) throw new Error('the .prj file is too long to be a coordinate system');
  const head = /^\s*(PROJCS|PROJCRS|GEOGCS|GEOGCRS|GEODCRS)\s*\[\s*"([^"]*)"/i.exec(text);
  if (!head) throw new Error(`the .prj file is not a WKT coordinate system: ${clip(text)}`);
  const [, kind, name] = head as unknown as [string, string, string];
  const datum = datumOf(text);
  if (/^GEO/i.test(kind)) {
    if (/^GCJ[-_ ]?02$/i.test(name)) return parseCrs('gcj02');
    if (/^BD[-_ ]?09$/i.test(name)) return parseCrs('bd09');
    if (datum === 'cgcs2000') return parseCrs('cgcs2000');
    if (datum === 'wgs84') return parseCrs('wgs84');
    throw new Error(`coordinate system "${name}" is not supported: ${unsupported}`);
  }
  const projection = /PROJECTION\s*\[\s*"([^"]+)"/i.exec(text)?.[1] ?? '';
  if (!/transverse[_ ]mercator|gauss[_ ]kruger/i.test(projection))
    throw new Error(
      `projection "${projection || 'unknown'}" of "${name}" is not supported: ${unsupported}`,
    );
  if (!datum) throw new Error(`the datum of "${name}" is not supported: ${unsupported}`);
  const tm = {
    datum,
    centralMeridian: parameter(text, 'central_meridian', name),
    falseEasting: parameter(text, 'false_easting', name),
    scale: parameter(text, 'scale_factor', name, 1),
  };
  const northing = parameter(text, 'false_northing', name, 0);
  const origin = parameter(text, 'latitude_of_origin', name, 0);
  if (northing !== 0 || origin !== 0)
    throw new Error(`"${name}" has a false northing or latitude of origin other than 0`);
  if (!/UNIT\s*\[\s*"(met(er|re)|m)"/i.test(text.slice(text.lastIndexOf('UNIT'))))
    throw new Error(`"${name}" is not in metres`);
  return transverseMercator(tm, tmEpsg(tm));
}

const unsupported =
  'use WGS84, CGCS2000 (geographic or Gauss-Krüger) or WGS84 UTM; convert Beijing 1954 or ' +
  'Xian 1980 data to CGCS2000 first';

const clip = (s: string) => (s.length > 60 ? `${s.slice(0, 60)}…` : s);

function datumOf(text: string): 'cgcs2000' | 'wgs84' | null {
  const datum = /DATUM\s*\[\s*"([^"]+)"/i.exec(text)?.[1] ?? '';
  if (/china[_ ]?2000|cgcs[_ ]?2000|china geodetic coordinate system 2000/i.test(datum))
    return 'cgcs2000';
  if (/wgs[_ ]?(19)?84/i.test(datum)) return 'wgs84';
  return null;
}

function parameter(text: string, key: string, name: string, fallback?: number): number {
  const match = new RegExp(`PARAMETER\\s*\\[\\s*"${key}"\\s*,\\s*([-+0-9.eE]+)`, 'i').exec(text);
  if (!match) {
    if (fallback !== undefined) return fallback;
    throw new Error(`"${name}" has no ${key.replace('_', ' ')}`);
  }
  const value = Number(match[1]);
  if (!Number.isFinite(value)) throw new Error(`"${name}" has a bad ${key.replace('_', ' ')}`);
  return value;
}
