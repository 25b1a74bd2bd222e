/**
 * Zipped ESRI Shapefiles: .shp .shx .dbf .prj .cpg ('UTF-8') for each geometry type of a table
 * (a Shapefile holds one type; a table of areas is one Shapefile, a mixed one becomes
 * `<id>_point`, `<id>_line`, `<id>_polygon`). File names inside the zip are ASCII (the table's
 * id): old unzip tools read zip names in the local code page.
 *
 * Streamed through temporary files: the .shp and .shx are written as rows come and their headers
 * (file length, extent) filled in at the end; the DBF's field widths are known only after the
 * last row, so the values wait in a temporary NDJSON file meanwhile. Nothing of the table is held
 * in memory. Limits: a .shp or .dbf may not pass 2 GB (offsets are signed 32-bit words); the
 * export's row limit keeps far below.
 *
 * Polygon rings are wound as the format asks (outer rings clockwise, holes counter-clockwise),
 * whatever the input's winding; each part of a MultiPolygon is its own outer ring with its holes.
 */
import type { Crs } from '../../../geo/crs';
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import type { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Geometry, Position } from 'geojson';
import JSZip from 'jszip';
import { checkDbfNames, DBF_EOF, dbfHeader, dbfRecord, DbfWidths } from './dbf';
import { projectGeometry, type ExportTable, type FieldValue } from './table';

/** Shape types written (the format's codes). */
export const SHAPE_TYPES = { point: 1, line: 3, polygon: 5, multipoint: 8 } as const;
type ShapeKind = keyof typeof SHAPE_TYPES;

/** The Shapefile kind a geometry goes into. */
export function shapeKind(g: Geometry): ShapeKind {
  switch (g.type) {
    case 'Point':
      return 'point';
    case 'MultiPoint':
      return 'multipoint';
    case 'LineString':
    case 'MultiLineString':
      return 'line';
    case 'Polygon':
    case 'MultiPolygon':
      return 'polygon';
    case 'GeometryCollection':
      throw new Error('a GeometryCollection has no Shapefile type');
  }
}

/** Twice the signed area of a ring (x/y plane): positive when counter-clockwise. */
function ringArea2(ring: Position[]) {
  let s = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++)
    s += ring[j]![0]! * ring[i]![1]! - ring[i]![0]! * ring[j]![1]!;
  return s;
}

/** The parts (rings or lines) of a geometry, polygon rings wound for the format. */
function parts(g: Geometry): Position[][] {
  const wind = (rings: Position[][]) =>
    rings.map((r, i) => (ringArea2(r) < 0 === (i === 0) ? r : [...r].reverse()));
  switch (g.type) {
    case 'Point':
      return [[g.coordinates]];
    case 'MultiPoint':
      return [g.coordinates];
    case 'LineString':
      return [g.coordinates];
    case 'MultiLineString':
      return g.coordinates;
    case 'Polygon':
      return wind(g.coordinates);
    case 'MultiPolygon':
      return g.coordinates.flatMap(wind);
    case 'GeometryCollection':
      throw new Error('a GeometryCollection has no Shapefile type');
  }
}

type Box = [number, number, number, number];
const emptyBox = (): Box => [Infinity, Infinity, -Infinity, -Infinity];
function extend(b: Box, points: Position[]) {
  for (const p of points) {
    if (p[0]! < b[0]) b[0] = p[0]!;
    if (p[1]! < b[1]) b[1] = p[1]!;
    if (p[0]! > b[2]) b[2] = p[0]!;
    if (p[1]! > b[3]) b[3] = p[1]!;
  }
}

/** One record's content (without its 8-byte record header). */
export function shapeContent(kind: ShapeKind, g: Geometry): { content: Buffer; box: Box } {
  const ps = parts(g);
  const box = emptyBox();
  for (const p of ps) extend(box, p);
  if (kind === 'point') {
    const b = Buffer.alloc(20);
    b.writeInt32LE(SHAPE_TYPES.point, 0);
    b.writeDoubleLE(ps[0]![0]![0]!, 4);
    b.writeDoubleLE(ps[0]![0]![1]!, 12);
    return { content: b, box };
  }
  const points = ps.flat();
  if (kind === 'multipoint') {
    const b = Buffer.alloc(40 + 16 * points.length);
    b.writeInt32LE(SHAPE_TYPES.multipoint, 0);
    box.forEach((v, i) => b.writeDoubleLE(v, 4 + 8 * i));
    b.writeInt32LE(points.length, 36);
    points.forEach((p, i) => {
      b.writeDoubleLE(p[0]!, 40 + 16 * i);
      b.writeDoubleLE(p[1]!, 48 + 16 * i);
    });
    return { content: b, box };
  }
  const b = Buffer.alloc(44 + 4 * ps.length + 16 * points.length);
  b.writeInt32LE(SHAPE_TYPES[kind], 0);
  box.forEach((v, i) => b.writeDoubleLE(v, 4 + 8 * i));
  b.writeInt32LE(ps.length, 36);
  b.writeInt32LE(points.length, 40);
  let start = 0;
  ps.forEach((part, i) => {
    b.writeInt32LE(start, 44 + 4 * i);
    start += part.length;
  });
  const at = 44 + 4 * ps.length;
  points.forEach((p, i) => {
    b.writeDoubleLE(p[0]!, at + 16 * i);
    b.writeDoubleLE(p[1]!, at + 16 * i + 8);
  });
  return { content: b, box };
}

/** The 100-byte header of a .shp or .shx. */
export function shapeHeader(kind: ShapeKind, fileBytes: number, box: Box) {
  const b = Buffer.alloc(100);
  b.writeInt32BE(9994, 0);
  b.writeInt32BE(fileBytes / 2, 24);
  b.writeInt32LE(1000, 28);
  b.writeInt32LE(SHAPE_TYPES[kind], 32);
  const known = box[0] <= box[2];
  box.forEach((v, i) => b.writeDoubleLE(known ? v : 0, 36 + 8 * i));
  return b;
}

/** A write stream that waits when its buffer is full. */
async function put(s: WriteStream, b: Buffer | string) {
  if (!s.write(b)) await once(s, 'drain');
}

async function finish(s: WriteStream) {
  s.end();
  await once(s, 'close');
}

/** One Shapefile being written. */
class ShapeSet {
  readonly shp: WriteStream;
  readonly shx: WriteStream;
  /** the rows' values, one JSON array a line, until the DBF's widths are known */
  readonly values: WriteStream;
  readonly box = emptyBox();
  count = 0;
  /** the .shp's length so far, in bytes */
  bytes = 100;
  constructor(
    readonly base: string,
    readonly kind: ShapeKind,
  ) {
    this.shp = createWriteStream(`${base}.shp`);
    this.shx = createWriteStream(`${base}.shx`);
    this.values = createWriteStream(`${base}.ndjson`);
    // the headers are filled in at the end
    this.shp.write(Buffer.alloc(100));
    this.shx.write(Buffer.alloc(100));
  }

  async add(g: Geometry, values: FieldValue[]) {
    const { content, box } = shapeContent(this.kind, g);
    extend(this.box, [
      [box[0], box[1]],
      [box[2], box[3]],
    ]);
    const head = Buffer.alloc(8);
    head.writeInt32BE(++this.count, 0);
    head.writeInt32BE(content.length / 2, 4);
    const index = Buffer.alloc(8);
    index.writeInt32BE(this.bytes / 2, 0);
    index.writeInt32BE(content.length / 2, 4);
    this.bytes += 8 + content.length;
    if (this.bytes > 2 ** 31 - 1) throw new Error('the .shp would pass 2 GB');
    await put(this.shp, Buffer.concat([head, content]));
    await put(this.shx, index);
    await put(this.values, `${JSON.stringify(values)}\n`);
  }

  /** Closes whatever is still open (after a failure). */
  destroy() {
    for (const s of [this.shp, this.shx, this.values]) s.destroy();
  }

  /** Fills in the headers, and writes the .dbf from the values kept. */
  async close(table: ExportTable, widths: DbfWidths, prj: string) {
    await Promise.all([finish(this.shp), finish(this.shx), finish(this.values)]);
    const box: Box = this.count ? this.box : [0, 0, 0, 0];
    for (const [file, bytes] of [
      [`${this.base}.shp`, this.bytes],
      [`${this.base}.shx`, 100 + 8 * this.count],
    ] as const) {
      const fh = await open(file, 'r+');
      try {
        await fh.write(shapeHeader(this.kind, bytes, box), 0, 100, 0);
      } finally {
        await fh.close();
      }
    }
    const columns = widths.columns();
    const dbf = createWriteStream(`${this.base}.dbf`);
    await put(dbf, dbfHeader(columns, this.count));
    const lines = createInterface({ input: createReadStream(`${this.base}.ndjson`) });
    for await (const line of lines) {
      if (!line) continue;
      const list = JSON.parse(line) as FieldValue[];
      const values = Object.fromEntries(table.fields.map((f, i) => [f.key, list[i] ?? null]));
      await put(dbf, dbfRecord(table.fields, columns, values));
    }
    await put(dbf, DBF_EOF);
    await finish(dbf);
    await rm(`${this.base}.ndjson`);
    const prjStream = createWriteStream(`${this.base}.prj`);
    await put(prjStream, prj);
    await finish(prjStream);
    const cpg = createWriteStream(`${this.base}.cpg`);
    await put(cpg, 'UTF-8');
    await finish(cpg);
  }
}

/** The kind an empty table's one Shapefile has. */
const EMPTY_KIND: Record<ExportTable['geometry'], ShapeKind> = {
  point: 'point',
  line: 'line',
  area: 'polygon',
  mixed: 'point',
};

/** Writes the zip to `out` and ends it. */
export async function writeShapefileZip(
  table: ExportTable,
  crs: Crs,
  out: Writable,
): Promise<void> {
  checkDbfNames(table.fields);
  if (!/^[A-Za-z0-9_-]+$/.test(table.id)) throw new Error(`table id ${table.id} is not ASCII`);
  const dir = await mkdtemp(path.join(tmpdir(), 'shapefile-'));
  const sets = new Map<ShapeKind, ShapeSet>();
  try {
    const widths = new DbfWidths(table.fields);
    const setFor = (kind: ShapeKind) => {
      let set = sets.get(kind);
      if (!set) {
        const base = table.geometry === 'mixed' ? `${table.id}_${kind}` : table.id;
        set = new ShapeSet(path.join(dir, base), kind);
        sets.set(kind, set);
      }
      return set;
    };
    for await (const row of table.rows) {
      const g = projectGeometry(row.geometry, crs);
      const kind = shapeKind(g);
      if (table.geometry !== 'mixed' && kind !== EMPTY_KIND[table.geometry])
        throw new Error(`table ${table.name}: a ${g.type} among ${table.geometry}s`);
      widths.see(row.values);
      await setFor(kind).add(
        g,
        table.fields.map((f) => row.values[f.key] ?? null),
      );
    }
    if (!sets.size) setFor(EMPTY_KIND[table.geometry]);
    const zip = new JSZip();
    for (const set of sets.values()) {
      await set.close(table, widths, crs.prj);
      for (const ext of ['shp', 'shx', 'dbf', 'prj', 'cpg'])
        zip.file(`${path.basename(set.base)}.${ext}`, createReadStream(`${set.base}.${ext}`));
    }
    await pipeline(
      zip.generateNodeStream({ type: 'nodebuffer', streamFiles: true, compression: 'DEFLATE' }),
      out,
    );
  } finally {
    for (const set of sets.values()) set.destroy();
    await rm(dir, { recursive: true, force: true });
  }
}
