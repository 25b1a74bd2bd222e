/**
 * GeoJSON, streamed feature by feature. In WGS84 it is RFC 7946 GeoJSON (exterior rings
 * counter-clockwise). In any other system the file is still valid JSON, but no longer RFC 7946
 * (which allows WGS84 only): it carries the 2008 specification's "crs" member naming the system
 * (urn:ogc:def:crs:EPSG::4543), which GDAL and QGIS read; GCJ-02 and BD-09 have no EPSG code and
 * are named by their usual names, which no GIS reads (a reader must be told).
 */
import type { Crs } from '../../../geo/crs';
import type { Geometry } from 'geojson';
import { rewindArea } from '../../../geo/rewindArea';
import { cellValue, projectGeometry, type ExportTable } from './table';

/** The "crs" member for a system other than WGS84, or null for WGS84. */
export function geojsonCrsMember(crs: Crs) {
  if (crs.epsg === 4326) return null;
  const name = crs.epsg ? `urn:ogc:def:crs:EPSG::${crs.epsg}` : crs.name;
  return { type: 'name', properties: { name } };
}

/** RFC 7946 winding for areas; other geometries unchanged. */
function wound(g: Geometry): Geometry {
  return g.type === 'Polygon' || g.type === 'MultiPolygon' ? rewindArea(g) : g;
}

/** The file's text in pieces: the head, one piece a feature (a few kB each), the tail. */
export async function* writeGeojson(table: ExportTable, crs: Crs): AsyncGenerator<string> {
  const crsMember = geojsonCrsMember(crs);
  yield `{"type":"FeatureCollection","name":${JSON.stringify(table.name)},${
    crsMember ? `"crs":${JSON.stringify(crsMember)},` : ''
  }"features":[\n`;
  let first = true;
  for await (const row of table.rows) {
    const properties: Record<string, unknown> = {};
    for (const f of table.fields)
      properties[f.header] = cellValue(row.values[f.key] ?? null, f.type);
    const feature = {
      type: 'Feature',
      geometry: wound(projectGeometry(row.geometry, crs)),
      properties,
    };
    yield `${first ? '' : ',\n'}${JSON.stringify(feature)}`;
    first = false;
  }
  yield '\n]}\n';
}
