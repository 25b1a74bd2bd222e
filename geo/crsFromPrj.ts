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
import { CrsError, parseCrs, tmEpsg, transverseMercator, type Crs } from './crs';

export function crsFromPrj(wkt: string): Crs {
  const text = String(wkt).trim();
  if (!text) throw new CrsError('prj_empty');
  if (text.length > 20_000) throw new CrsError('prj_too_long');
  const head = /^\s*(PROJCS|PROJCRS|GEOGCS|GEOGCRS|GEODCRS)\s*\[\s*"([^"]*)"/i.exec(text);
  if (!head) throw new CrsError('prj_not_wkt', { text: clip(text) });
  const [, kind, name] = head as unknown as [string, string, string];
  const datum = datumOf(text);
  if (/^GEO/i.test(kind)) {
    if (/^GCJ[-_ ]?02$/i.test(name)) return parseCrs('gcj02');
    if (/^BD[-_ ]?09$/i.test(name)) return parseCrs('bd09');
    if (datum === 'cgcs2000') return parseCrs('cgcs2000');
    if (datum === 'wgs84') return parseCrs('wgs84');
    throw new CrsError('crs_not_supported', { name });
  }
  const projection = /PROJECTION\s*\[\s*"([^"]+)"/i.exec(text)?.[1] ?? '';
  if (!/transverse[_ ]mercator|gauss[_ ]kruger/i.test(projection))
    throw new CrsError('projection_not_supported', { projection: projection || 'unknown', name });
  if (!datum) throw new CrsError('datum_not_supported', { name });
  const tm = {
    datum,
    centralMeridian: parameter(text, 'central_meridian', name),
    falseEasting: parameter(text, 'false_easting', name),
    scale: parameter(text, 'scale_factor', name, 1),
  };
  const northing = parameter(text, 'false_northing', name, 0);
  const origin = parameter(text, 'latitude_of_origin', name, 0);
  if (northing !== 0 || origin !== 0) throw new CrsError('prj_false_northing', { name });
  if (!/UNIT\s*\[\s*"(met(er|re)|m)"/i.test(text.slice(text.lastIndexOf('UNIT'))))
    throw new CrsError('prj_not_metres', { name });
  return transverseMercator(tm, tmEpsg(tm));
}

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
    throw new CrsError('prj_no_parameter', { name, parameter: key.replace('_', ' ') });
  }
  const value = Number(match[1]);
  if (!Number.isFinite(value))
    throw new CrsError('prj_bad_parameter', { name, parameter: key.replace('_', ' ') });
  return value;
}
