/**
 * The coordinate systems Chinese agencies' files come in, and the way to and from WGS84 for
 * each: WGS84 (EPSG:4326), CGCS2000 geographic (EPSG:4490), CGCS2000 Gauss-Krüger in 6-degree
 * (EPSG:4491–4512) and 3-degree zones (EPSG:4513–4554), WGS84 UTM north zones (EPSG:32601–32660),
 * and the two offset systems of online maps, GCJ-02 (AMap, Tencent) and BD-09 (Baidu).
 *
 * CGCS2000 and WGS84 differ by a few centimetres, far below what a district map shows: the
 * CGCS2000 systems are converted as if on WGS84 (GDAL and proj do the same without a grid).
 * Gauss-Krüger and UTM are transverse Mercator, computed by proj4; GCJ-02 and BD-09 by gcoord.
 *
 * @example
 *   const gk = parseCrs('EPSG:4543'); // CGCS2000 / 3-degree Gauss-Kruger CM 102E
 *   gk.fromWgs84(101.77, 36.66); // ≈ [479_437, 4_058_804] (metres east, north)
 *   parseCrs('gcj02').toWgs84(101.7760, 36.6640); // ≈ [101.7741, 36.6641]
 */
import gcoord from 'gcoord';
import proj4 from 'proj4';
import {
  importReason,
  type ImportReason,
  type ImportReasonCode,
  type ReasonParams,
} from '../domain/importReasons';

/** A coordinate system not understood, with its reason in the import vocabulary. */
export class CrsError extends Error {
  readonly reason: ImportReason;
  constructor(code: ImportReasonCode, params: ReasonParams = {}) {
    const reason = importReason(code, params);
    super(reason.reason);
    this.name = 'CrsError';
    this.reason = reason;
  }
}

export interface Crs {
  /** 'wgs84', 'cgcs2000', 'gcj02', 'bd09' or 'EPSG:<code>' for a projected system */
  id: string;
  /** the EPSG code; null for GCJ-02 and BD-09, which have none */
  epsg: number | null;
  /** a readable name, e.g. 'CGCS2000 / 3-degree Gauss-Kruger CM 102E' */
  name: string;
  /** true for systems in metres (Gauss-Krüger, UTM) */
  projected: boolean;
  /** converts a coordinate of this system to WGS84 [lon, lat] */
  toWgs84(x: number, y: number): [number, number];
  /** converts a WGS84 [lon, lat] to this system */
  fromWgs84(lon: number, lat: number): [number, number];
  /** the .prj text of a Shapefile in this system (ESRI WKT, as GDAL writes it) */
  prj: string;
}

/** The transverse Mercator parameters of a projected system. */
export interface TransverseMercator {
  datum: 'cgcs2000' | 'wgs84';
  centralMeridian: number;
  falseEasting: number;
  scale: number;
}

const GCS = {
  wgs84:
    'GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]',
  cgcs2000:
    'GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]',
  // No EPSG code exists for the offset systems: their .prj names them on the WGS84 datum they
  // are offset from, so a reader (ours, or a person reading ogrinfo) knows what the numbers are.
  gcj02:
    'GEOGCS["GCJ-02",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]',
  bd09: 'GEOGCS["BD-09",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]',
};

const same = (x: number, y: number): [number, number] => [x, y];

const GEOGRAPHIC: Record<string, () => Crs> = {
  wgs84: () => ({
    id: 'wgs84',
    epsg: 4326,
    name: 'WGS 84',
    projected: false,
    toWgs84: same,
    fromWgs84: same,
    prj: GCS.wgs84,
  }),
  cgcs2000: () => ({
    id: 'cgcs2000',
    epsg: 4490,
    name: 'China Geodetic Coordinate System 2000',
    projected: false,
    toWgs84: same,
    fromWgs84: same,
    prj: GCS.cgcs2000,
  }),
  gcj02: () => offsetSystem('gcj02', 'GCJ-02', gcoord.GCJ02),
  bd09: () => offsetSystem('bd09', 'BD-09', gcoord.BD09),
};

function offsetSystem(
  id: 'gcj02' | 'bd09',
  name: string,
  system: typeof gcoord.GCJ02 | typeof gcoord.BD09,
): Crs {
  return {
    id,
    epsg: null,
    name,
    projected: false,
    toWgs84: (x, y) => gcoord.transform([x, y], system, gcoord.WGS84) as [number, number],
    fromWgs84: (lon, lat) => gcoord.transform([lon, lat], gcoord.WGS84, system) as [number, number],
    prj: GCS[id],
  };
}

/** The EPSG code of a transverse Mercator system, if it is one of the catalogue's. */
export function tmEpsg(tm: TransverseMercator): number | null {
  const { datum, centralMeridian: cm, falseEasting: fe, scale } = tm;
  if (datum === 'wgs84') {
    const zone = (cm + 183) / 6;
    return scale === 0.9996 && fe === 500_000 && Number.isInteger(zone) && zone >= 1 && zone <= 60
      ? 32600 + zone
      : null;
  }
  if (scale !== 1) return null;
  if (fe === 500_000) {
    // the same projection has two codes where a 3-degree meridian is also a 6-degree one:
    // the 3-degree series is the one district surveys use
    if (Number.isInteger(cm / 3) && cm >= 75 && cm <= 135) return 4534 + (cm - 75) / 3;
    return null;
  }
  const zone = (fe - 500_000) / 1_000_000;
  if (!Number.isInteger(zone)) return null;
  if (zone >= 13 && zone <= 23 && cm === zone * 6 - 3) return 4491 + zone - 13;
  if (zone >= 25 && zone <= 45 && cm === zone * 3) return 4513 + zone - 25;
  return null;
}

/** The transverse Mercator parameters behind an EPSG code of the catalogue, or null. */
export function epsgTm(epsg: number): TransverseMercator | null {
  const cgcs = (centralMeridian: number, falseEasting: number): TransverseMercator => ({
    datum: 'cgcs2000',
    centralMeridian,
    falseEasting,
    scale: 1,
  });
  if (epsg >= 4491 && epsg <= 4501) {
    const zone = epsg - 4491 + 13;
    return cgcs(zone * 6 - 3, zone * 1_000_000 + 500_000);
  }
  if (epsg >= 4502 && epsg <= 4512) return cgcs(75 + (epsg - 4502) * 6, 500_000);
  if (epsg >= 4513 && epsg <= 4533) {
    const zone = epsg - 4513 + 25;
    return cgcs(zone * 3, zone * 1_000_000 + 500_000);
  }
  if (epsg >= 4534 && epsg <= 4554) return cgcs(75 + (epsg - 4534) * 3, 500_000);
  if (epsg >= 32601 && epsg <= 32660)
    return {
      datum: 'wgs84',
      centralMeridian: (epsg - 32600) * 6 - 183,
      falseEasting: 500_000,
      scale: 0.9996,
    };
  return null;
}

/** The name GDAL gives a catalogue system, e.g. 'CGCS2000_3_Degree_GK_CM_102E'. */
function tmName(epsg: number, tm: TransverseMercator): string {
  if (tm.datum === 'wgs84') return `WGS_1984_UTM_Zone_${epsg - 32600}N`;
  const zone = (tm.falseEasting - 500_000) / 1_000_000;
  if (epsg <= 4501) return `CGCS2000_GK_Zone_${zone}`;
  if (epsg <= 4512) return `CGCS2000_GK_CM_${tm.centralMeridian}E`;
  if (epsg <= 4533) return `CGCS2000_3_Degree_GK_Zone_${zone}`;
  return `CGCS2000_3_Degree_GK_CM_${tm.centralMeridian}E`;
}

/** A projected system from its transverse Mercator parameters; `epsg` when it has a code. */
export function transverseMercator(tm: TransverseMercator, epsg = tmEpsg(tm)): Crs {
  const { datum, centralMeridian, falseEasting, scale } = tm;
  const name = epsg ? tmName(epsg, tm) : `${datum.toUpperCase()}_TM_CM_${centralMeridian}E`;
  const projection = proj4(
    'WGS84',
    `+proj=tmerc +lat_0=0 +lon_0=${centralMeridian} +k=${scale} +x_0=${falseEasting} +y_0=0 ` +
      `+ellps=${datum === 'wgs84' ? 'WGS84' : 'GRS80'} +units=m +no_defs`,
  );
  const fmt = (n: number) => (Number.isInteger(n) ? n.toFixed(1) : String(n));
  return {
    id: epsg ? `EPSG:${epsg}` : `TM:${centralMeridian}:${falseEasting}:${scale}:${datum}`,
    epsg,
    name: name.replace(/_/g, ' '),
    projected: true,
    toWgs84: (x, y) => projection.inverse([x, y]) as [number, number],
    fromWgs84: (lon, lat) => projection.forward([lon, lat]) as [number, number],
    prj:
      `PROJCS["${name}",${GCS[datum]},PROJECTION["${datum === 'wgs84' ? 'Transverse_Mercator' : 'Gauss_Kruger'}"],` +
      `PARAMETER["False_Easting",${fmt(falseEasting)}],PARAMETER["False_Northing",0.0],` +
      `PARAMETER["Central_Meridian",${fmt(centralMeridian)}],PARAMETER["Scale_Factor",${fmt(scale)}],` +
      `PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]`,
  };
}

/**
 * The coordinate system a user or a file names: 'wgs84', 'cgcs2000', 'gcj02', 'bd09' (any case,
 * with or without '-'), or an EPSG code ('EPSG:4543', '4543'). Throws an Error saying what is
 * accepted for anything else.
 */
export function parseCrs(text: string): Crs {
  const key = String(text)
    .trim()
    .toLowerCase()
    .replace(/[-_\s]/g, '');
  const named = GEOGRAPHIC[key === 'wgs' ? 'wgs84' : key];
  if (named) return named();
  const code = /^(?:epsg:?)?(\d{4,5})$/.exec(key)?.[1];
  if (code) {
    const epsg = Number(code);
    if (epsg === 4326) return GEOGRAPHIC.wgs84!();
    if (epsg === 4490) return GEOGRAPHIC.cgcs2000!();
    const tm = epsgTm(epsg);
    if (tm) return transverseMercator(tm, epsg);
  }
  throw new CrsError('crs_unknown', { text: String(text).slice(0, 100) });
}
