/**
 * GeoJSON files, read whole within a size and a feature limit: a FeatureCollection, one Feature
 * or a bare geometry. Coordinates are left as the file has them; a legacy `crs` member (GeoJSON
 * 2008, as GDAL still writes for projected data) is passed on for the caller to read.
 */
import type { Geometry } from 'geojson';
import { decodeText } from './decode';
import { makeColumns } from './columns';
import { READ_LIMITS } from './limits';
import { inBatches } from './shapefile';
import { readAll, type ByteSource } from './source';
import { importReason, type ImportReason } from '../../../domain/importReasons';
import { refuseFile, type CellValue, type FileRead, type ReadRecord } from './types';

const GEOMETRY_TYPES = new Set([
  'Point',
  'MultiPoint',
  'LineString',
  'MultiLineString',
  'Polygon',
  'MultiPolygon',
  'GeometryCollection',
]);

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => !!v && typeof v === 'object' && !Array.isArray(v);

/** A property's value as text, number or null (objects and lists as their JSON). */
function propertyValue(v: unknown): CellValue {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

/** Why a geometry is not one (null when it is), counting its vertices against the limit. */
function geometryProblem(g: Json): ImportReason | null {
  if (!GEOMETRY_TYPES.has(g.type as string))
    return importReason('not_geometry_type', { type: String(g.type) });
  if (g.type === 'GeometryCollection')
    return Array.isArray(g.geometries) ? null : importReason('collection_empty');
  let vertices = 0;
  const check = (c: unknown, depth: number): boolean => {
    if (!Array.isArray(c)) return false;
    if (depth === 0) {
      vertices++;
      return c.length >= 2 && c.every((n) => typeof n === 'number' && Number.isFinite(n));
    }
    return c.every((x) => check(x, depth - 1));
  };
  const depth = {
    Point: 0,
    MultiPoint: 1,
    LineString: 1,
    MultiLineString: 2,
    Polygon: 2,
    MultiPolygon: 3,
  }[g.type as 'Point'];
  if (!check(g.coordinates, depth))
    return importReason('coordinates_not_numbers', { type: g.type as string });
  if (vertices > READ_LIMITS.vertices)
    return importReason('too_many_vertices', { count: vertices, max: READ_LIMITS.vertices });
  return null;
}

export async function readGeojson(source: ByteSource): Promise<FileRead> {
  const { text, encoding } = decodeText(await readAll(source, READ_LIMITS.geojsonBytes, 'GeoJSON'));
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw refuseFile('not_json', { detail: (err as Error).message }, {}, { cause: err });
  }
  if (!isObject(json)) throw refuseFile('not_geojson_object');
  const features: unknown[] =
    json.type === 'FeatureCollection'
      ? Array.isArray(json.features)
        ? json.features
        : []
      : json.type === 'Feature'
        ? [json]
        : GEOMETRY_TYPES.has(json.type as string)
          ? [{ type: 'Feature', properties: {}, geometry: json }]
          : [];
  if (!features.length && json.type !== 'FeatureCollection')
    throw refuseFile('not_geojson', { type: String(json.type) });
  if (features.length > READ_LIMITS.features)
    throw refuseFile('too_many_features', {
      count: features.length,
      max: READ_LIMITS.features,
    });

  const names: string[] = [];
  const seen = new Set<string>();
  for (const f of features)
    if (isObject(f) && isObject(f.properties))
      for (const k of Object.keys(f.properties))
        if (!seen.has(k)) {
          seen.add(k);
          names.push(k);
        }
  const columns = makeColumns(names);
  if (columns.some((c, i) => c !== names[i])) throw refuseFile('property_name_bad');

  const all: ReadRecord[] = features.map((f, i) => {
    const n = i + 1;
    if (!isObject(f) || f.type !== 'Feature')
      return { n, properties: {}, geometry: null, geometryProblem: importReason('not_a_feature') };
    const props = isObject(f.properties) ? f.properties : {};
    const properties: Record<string, CellValue> = {};
    for (const c of columns) {
      const v = propertyValue(props[c]);
      if (typeof v === 'string' && v.length > READ_LIMITS.cellChars)
        throw refuseFile(
          'property_too_long',
          { property: c, max: READ_LIMITS.cellChars },
          { row: n },
        );
      properties[c] = v;
    }
    if (!isObject(f.geometry))
      return {
        n,
        properties,
        geometry: null,
        geometryProblem: importReason('feature_no_geometry'),
      };
    const problem = geometryProblem(f.geometry);
    return problem
      ? { n, properties, geometry: null, geometryProblem: problem }
      : { n, properties, geometry: f.geometry as unknown as Geometry };
  });
  const crs = isObject(json.crs) && isObject(json.crs.properties) ? json.crs.properties.name : null;
  return {
    format: 'geojson',
    columns,
    coordinateColumns: null,
    encoding,
    prj: null,
    crsName: typeof crs === 'string' ? crs : null,
    layers: [],
    layer: null,
    records: inBatches(all),
  };
}
