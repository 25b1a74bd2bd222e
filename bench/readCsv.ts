/**
 * How fast the CSV reader reads a million incidents, and the memory it holds: writes a synthetic
 * CSV (UTF-8, or GB18030 with `gbk`) to a temporary file, reads it through readCsv and prints
 * rows per second and the peak resident set size; with `rows`, also made into incident rows
 * (mapping, times, categories, duplicate ids). `npx tsx bench/readCsv.ts [count] [gbk] [rows]`
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseCrs } from '../geo/crs';
import { readCsv } from '../server/files/read/csv';
import { suggestMapping } from '../server/files/read/mapping';
import { RowConverter } from '../server/files/read/rows';
import { writeCsvFile } from './csvFile';

const rows = Number(process.argv[2] ?? 1_000_000);
const gbk = process.argv.includes('gbk');
const convert = process.argv.includes('rows');
const dir = await mkdtemp(path.join(tmpdir(), 'read-csv-'));
const file = path.join(dir, 'incidents.csv');
try {
  const categories = ['刑事', '治安', '交通', '纠纷', '求助'];
  await writeCsvFile(
    file,
    '警情编号,报警时间,警情类别,警情子类,经度,纬度,地址',
    rows,
    (i) => {
      const t = new Date(Date.UTC(2026, 0, 1) + i * 31_000)
        .toISOString()
        .slice(0, 19)
        .replace('T', ' ');
      return `J6301052026${String(i).padStart(9, '0')},${t},${categories[i % 5]},盗窃,${(101.7 + (i % 997) / 10000).toFixed(6)},${(36.6 + (i % 991) / 10000).toFixed(6)},城北区朝阳西路${i % 300}号`;
    },
    gbk,
  );

  let peak = process.memoryUsage().rss;
  const start = performance.now();
  const read = await readCsv({ path: file });
  const converter = convert
    ? new RowConverter(
        'incidents',
        suggestMapping('incidents', read.columns, { exclude: ['经度', '纬度'] }),
        parseCrs('wgs84'),
      )
    : null;
  let count = 0;
  let refused = 0;
  for await (const batch of read.records) {
    count += batch.length;
    if (converter) refused += converter.convert(batch).refusals.length;
    peak = Math.max(peak, process.memoryUsage().rss);
  }
  const s = (performance.now() - start) / 1000;
  console.log(
    `${count} rows (${read.encoding}${converter ? `, made into incident rows, ${refused} refused` : ''}) in ${s.toFixed(2)} s: ${Math.round(count / s)} rows/s; peak RSS ${Math.round(peak / 2 ** 20)} MB`,
  );
} finally {
  await rm(dir, { recursive: true, force: true });
}
