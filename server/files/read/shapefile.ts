/**
 * Zipped Shapefiles: the layers a zip holds (any folder inside it, any case of the extensions),
 * one of them read: its shapes by shpjs's parseShp in the file's own coordinates (never its
 * reprojection: the coordinate system is decided from the .prj by the caller), its attributes
 * by dbf.ts, its .prj text as it is.
 */
import type { Geometry } from 'geojson';
import { parseShp } from 'shpjs';
import { readDbf } from './dbf';
import { decodeText } from './decode';
import { READ_LIMITS } from './limits';
import { readAll, type ByteSource } from './source';
import { importReason } from '../../../domain/importReasons';
import { LayerNotChosen, refuseFile, type FileRead, type ReadRecord } from './types';
import { openZip, type OpenZip } from './zip';

export interface ShapefileOptions {
  /** the layer to read (as listed in `layers`), needed when the zip holds several */
  layer?: string;
}

/** The layers of a zip: each .shp's path without its extension, with its sidecar entries. */
function findLayers(zip: OpenZip): Map<string, Record<string, string>> {
  const layers = new Map<string, Record<string, string>>();
  const names = zip.entries
    .map((e) => e.name)
    .filter((n) => !n.startsWith('__MACOSX/') && !n.split('/').some((p) => p.startsWith('._')));
  for (const n of names) {
    const m = /^(.*)\.shp$/i.exec(n);
    if (m) layers.set(m[1]!, {});
  }
  for (const n of names) {
    const m = /^(.*)\.(shp|shx|dbf|prj|cpg)$/i.exec(n);
    const parts = m && layers.get(m[1]!);
    if (parts) parts[m[2]!.toLowerCase()] = n;
  }
  return layers;
}

export async function readShapefileZip(
  source: ByteSource,
  options: ShapefileOptions = {},
): Promise<FileRead> {
  const zip = await openZip(await readAll(source, READ_LIMITS.zipBytes, 'zipped Shapefile'));
  const layers = findLayers(zip);
  const names = [...layers.keys()].sort();
  if (!names.length)
    throw refuseFile('no_shapefile', {
      entries: zip.entries.slice(0, 10).map((e) => e.name),
      count: zip.entries.length,
    });
  const layer = options.layer ?? (names.length === 1 ? names[0]! : null);
  if (layer === null) throw new LayerNotChosen(names);
  const parts = layers.get(layer);
  if (!parts) throw refuseFile('shapefile_layer_not_found', { layer, layers: names });
  if (!parts.dbf) throw refuseFile('no_dbf', {}, { entry: parts.shp });

  const text = async (name: string | undefined) =>
    name === undefined ? null : decodeText(await zip.read(name), { entry: name }).text;
  const [prj, cpg] = [await text(parts.prj), await text(parts.cpg)];
  const table = readDbf(await zip.read(parts.dbf), cpg, parts.dbf);

  const shp = await zip.read(parts.shp!);
  let shapes: (Geometry | null)[];
  try {
    shapes = parseShp(shp) as (Geometry | null)[];
  } catch (err) {
    throw refuseFile(
      'shapes_unreadable',
      { detail: (err as Error).message },
      { entry: parts.shp },
      { cause: err },
    );
  }
  if (shapes.length !== table.records.length)
    throw refuseFile(
      'shape_count_mismatch',
      { shapes: shapes.length, records: table.records.length },
      { entry: parts.shp },
    );

  const all: ReadRecord[] = shapes.map((geometry, i) => ({
    n: i + 1,
    properties: table.records[i]!,
    geometry,
    ...(geometry ? {} : { geometryProblem: importReason('null_shape') }),
  }));
  return {
    format: 'shapefile',
    columns: table.columns,
    coordinateColumns: null,
    encoding: table.encoding,
    prj: prj?.trim() ?? null,
    crsName: null,
    layers: names,
    layer,
    records: inBatches(all),
  };
}

/** Records read whole, yielded in batches as the streamed readers yield them. */
export async function* inBatches(all: ReadRecord[]): AsyncGenerator<ReadRecord[]> {
  for (let i = 0; i < all.length; i += READ_LIMITS.batch) yield all.slice(i, i + READ_LIMITS.batch);
}
