/**
 * From records to a layer's rows: the mapping suggested from usual column names, the values
 * read through the vocabularies, local times, and each kind of refusal with its record, field
 * and reason. Also the zip limits that keep a crafted archive from expanding.
 */
import type { Polygon } from 'geojson';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { parseCrs } from '../../geo/crs';
import {
  FileRefused,
  READ_LIMITS,
  readFile,
  RowConverter,
  suggestMapping,
  type ReadRecord,
} from '../../server/files/read/index';
import { parseLocalTime } from '../../server/files/read/time';
import { BadInput } from '../../server/errors';

const wgs84 = parseCrs('wgs84');
const at = (lon: number, lat: number) => ({ type: 'Point' as const, coordinates: [lon, lat] });
const rec = (
  n: number,
  properties: ReadRecord['properties'],
  geometry: ReadRecord['geometry'] = at(101.75, 36.67),
): ReadRecord => ({
  n,
  properties,
  geometry,
});
const columnsOf = (m: ReturnType<typeof suggestMapping>) =>
  Object.fromEntries(Object.entries(m.fields).map(([f, x]) => [f, x.column]));

describe('suggestMapping', () => {
  it('maps an incidents table by its usual Chinese names', () => {
    const m = suggestMapping(
      'incidents',
      ['接警单编号', '报警时间', '警情类别', '警情子类', '状态', '地址', '经度', '纬度', '备注'],
      {
        exclude: ['经度', '纬度'],
      },
    );
    expect(columnsOf(m)).toEqual({
      sourceId: '接警单编号',
      time: '报警时间',
      category: '警情类别',
      subcategory: '警情子类',
      status: '状态',
      address: '地址',
    });
    expect(m.missing).toEqual([]);
    expect(m.unused).toEqual(['备注']);
    expect(m.fields.time).toMatchObject({
      confidence: 'name',
      why: 'the column is named "报警时间"',
      code: 'column_named',
      params: { name: '报警时间' },
    });
  });

  it('maps communities, English names and names within longer ones', () => {
    const m = suggestMapping('communities', ['村名', '区划代码', '所属乡镇', '类型', '常住人口']);
    expect(columnsOf(m)).toEqual({
      name: '村名',
      code: '区划代码',
      town: '所属乡镇',
      kind: '类型',
      population: '常住人口',
    });
    const en = suggestMapping('towns', ['Name', 'CODE']);
    expect(columnsOf(en)).toEqual({ name: 'Name', code: 'CODE' });
    const within = suggestMapping('cameras', ['点位设备编号', '设备类型', '水平视角(度)']);
    expect(within.fields.deviceCode).toMatchObject({
      column: '点位设备编号',
      confidence: 'contains',
    });
    expect(within.fields.fov).toMatchObject({ column: '水平视角(度)', confidence: 'name' });
  });

  it('says what is missing, and takes the caller’s choices first', () => {
    const m = suggestMapping('sites', ['名称', '备注']);
    expect(m.missing).toEqual(['kind']);
    const chosen = suggestMapping('sites', ['名称', '备注'], {
      override: { kind: '备注', name: null },
    });
    expect(chosen.fields.kind).toEqual({
      column: '备注',
      confidence: 'caller',
      why: 'chosen',
      code: 'column_chosen',
      params: {},
    });
    expect(chosen.missing).toEqual(['name']);
    expect(() => suggestMapping('sites', ['名称'], { override: { colour: '名称' } })).toThrow(
      BadInput,
    );
    expect(() => suggestMapping('sites', ['名称'], { override: { kind: '类型' } })).toThrow(
      /not in the file/,
    );
  });
});

describe('parseLocalTime', () => {
  const iso = (v: string | number) => {
    const t = parseLocalTime(v);
    return t === null ? null : new Date(t).toISOString();
  };
  it.each([
    ['2026/3/5 8:05', '2026-03-05T00:05:00.000Z'],
    ['2026-03-05 08:05:00', '2026-03-05T00:05:00.000Z'],
    ['2026年3月5日 8时5分', '2026-03-05T00:05:00.000Z'],
    ['20260305080500', '2026-03-05T00:05:00.000Z'],
    ['2026-03-05', '2026-03-04T16:00:00.000Z'],
    ['2026-03-05T08:05:00+08:00', '2026-03-05T00:05:00.000Z'],
  ])('reads %s as Beijing time', (v, want) => expect(iso(v)).toBe(want));
  it('reads Excel serial dates as Beijing wall-clock time', () => {
    expect(iso(46086 + (8 * 60 + 5) / 1440)).toBe('2026-03-05T00:05:00.000Z');
  });
  it.each([
    '2026-02-30',
    '2026-13-01',
    '2026/3/5 25:00',
    '昨天',
    '12',
    // years a call cannot be from (JavaScript would read 0012 as 1912)
    '0012-03-05',
    '0999-03-05 08:00',
    '1899-12-31T23:00:00+08:00',
  ])('refuses %s', (v) => expect(parseLocalTime(v)).toBeNull());
});

describe('RowConverter', () => {
  const incidents = suggestMapping('incidents', [
    '警情编号',
    '报警时间',
    '警情类别',
    '警情子类',
    '状态',
    '地址',
  ]);

  it('makes incident rows and refuses each bad record with its number, field and reason', () => {
    const conv = new RowConverter('incidents', incidents, wgs84);
    const good = {
      警情编号: 'J1',
      报警时间: '2026/3/5 8:05',
      警情类别: '刑事',
      警情子类: '盗窃',
      状态: '已处理',
      地址: '朝阳西路1号',
    };
    const { rows, refusals } = conv.convert([
      rec(2, good),
      rec(3, { ...good, 警情编号: 'J2', 报警时间: '3月5日' }),
      rec(4, { ...good, 警情编号: 'J3', 警情类别: '外星人' }),
      rec(5, { ...good, 警情编号: 'J1' }),
      rec(6, { ...good, 警情编号: null }),
      rec(7, { ...good, 警情编号: 'J4' }, null),
      rec(8, { ...good, 警情编号: 'J5', 状态: null, 警情子类: null, 报警时间: 46086.5 }),
    ]);
    expect(rows).toEqual([
      {
        n: 2,
        sourceId: 'J1',
        time: Date.parse('2026-03-05T08:05:00+08:00'),
        category: 'criminal',
        subcategory: 'theft',
        status: 'closed',
        lon: 101.75,
        lat: 36.67,
        address: '朝阳西路1号',
        linkedSourceId: null,
      },
      {
        n: 8,
        sourceId: 'J5',
        time: Date.parse('2026-03-05T12:00:00+08:00'),
        category: 'criminal',
        // history: no subcategory is the category's catch-all, no status a closed call
        subcategory: 'criminal_other',
        status: 'closed',
        lon: 101.75,
        lat: 36.67,
        address: '朝阳西路1号',
        linkedSourceId: null,
      },
    ]);
    expect(refusals).toEqual([
      {
        n: 3,
        field: 'time (报警时间)',
        code: 'bad_date',
        params: { text: '3月5日' },
        reason: expect.stringMatching(/^"3月5日" is not a date and time/),
      },
      {
        n: 4,
        field: 'category (警情类别)',
        code: 'unknown_category',
        params: { label: '外星人', allowed: expect.arrayContaining(['criminal', 'traffic']) },
        reason: expect.stringMatching(/^"外星人" is not a known category/),
      },
      {
        n: 5,
        field: 'sourceId (警情编号)',
        code: 'duplicate_id',
        params: { id: 'J1', firstRow: 2 },
        reason: '"J1" is already used by record 2 of the file',
      },
      { n: 6, field: 'sourceId (警情编号)', code: 'empty', params: {}, reason: 'is empty' },
      {
        n: 7,
        field: 'geometry',
        code: 'record_no_geometry',
        params: {},
        reason: 'the record has no geometry',
      },
    ]);
  });

  it('remembers ids across batches', () => {
    const conv = new RowConverter('incidents', incidents, wgs84);
    const r = { 报警时间: '2026-03-05 08:05:00', 警情类别: 'traffic' };
    expect(conv.convert([rec(2, { ...r, 警情编号: 'A' })]).refusals).toEqual([]);
    expect(conv.convert([rec(9000, { ...r, 警情编号: 'A' })]).refusals[0]!.reason).toMatch(
      /record 2/,
    );
  });

  it('converts coordinates through the coordinate system, refusing ones that do not convert', () => {
    const gcj = parseCrs('gcj02');
    const conv = new RowConverter('incidents', incidents, gcj);
    const r = { 警情编号: 'A', 报警时间: '2026-03-05', 警情类别: '交通' };
    const { rows } = conv.convert([rec(2, r, at(101.776, 36.664))]);
    const [lon, lat] = gcj.toWgs84(101.776, 36.664);
    expect([rows[0]!.lon, rows[0]!.lat]).toEqual([lon, lat]);
    const projected = new RowConverter('incidents', incidents, wgs84).convert([
      rec(2, r, at(478000, 4058000)),
    ]);
    expect(projected.refusals[0]).toMatchObject({
      field: 'geometry',
      reason: expect.stringMatching(/is the coordinate system right\?/),
    });
  });

  it('reads camera kinds, defaults and bad numbers', () => {
    const m = suggestMapping('cameras', ['设备编号', '设备名称', '类型', '朝向', '视角', '距离']);
    const cam = (n: number, p: Record<string, string | number | null>) =>
      rec(n, {
        设备编号: `630105000013100000${String(n).padStart(2, '0')}`,
        设备名称: '点位',
        类型: '枪机',
        朝向: 90,
        视角: 60,
        距离: null,
        ...p,
      });
    const { rows, refusals } = new RowConverter('cameras', m, wgs84, {
      cameraDefaults: { rangeM: 50 },
    }).convert([
      cam(2, { 类型: '半球', 朝向: null, 视角: null }),
      cam(3, {}),
      cam(4, { 类型: '鱼眼' }),
      cam(5, { 朝向: '东北' }),
      cam(6, { 视角: 400 }),
      cam(7, { 设备编号: '12345' }),
      cam(8, { 朝向: null }),
    ]);
    expect(rows.map((r) => [r.n, r.kind, r.bearing, r.fov, r.rangeM, r.status])).toEqual([
      [2, 'dome', 0, 360, 50, 'online'],
      [3, 'bullet', 90, 60, 50, 'online'],
    ]);
    expect(refusals.map((r) => [r.n, r.field, r.reason])).toEqual([
      [
        4,
        'kind (类型)',
        expect.stringMatching(/"鱼眼" is not a known kind: use one of bullet, dome, checkpoint/),
      ],
      [5, 'bearing (朝向)', '"东北" is not a number'],
      [6, 'fov (视角)', '400 is not from 1 to 360'],
      [7, 'deviceCode (设备编号)', '"12345" is not a 20-digit GB/T 28181 device id'],
      [8, 'bearing (朝向)', 'is empty, and no default is given for it'],
    ]);
  });

  it('reads sites, checkpoints and posts by their words, refusing the wrong geometry', () => {
    const triangle: Polygon = {
      type: 'Polygon',
      coordinates: [
        [
          [0, 0],
          [1, 0],
          [1, 1],
          [0, 0],
        ],
      ],
    };
    const sites = new RowConverter(
      'sites',
      suggestMapping('sites', ['名称', '类型']),
      wgs84,
    ).convert([
      rec(1, { 名称: '城北区第一中学', 类型: '学校' }),
      rec(2, { 名称: '中石油加油站', 类型: '加油站' }),
      rec(3, { 名称: '某广场', 类型: '广场' }, triangle),
    ]);
    expect(sites.rows.map((r) => r.kind)).toEqual(['school', 'gas']);
    expect(sites.refusals[0]!.field).toBe('kind (类型)');
    const posts = new RowConverter(
      'posts',
      suggestMapping('posts', ['名称', '类型']),
      wgs84,
    ).convert([
      rec(1, { 名称: '朝阳岗亭', 类型: '治安岗亭' }),
      rec(2, { 名称: '一号岗', 类型: null }, triangle),
    ]);
    expect(posts.rows).toEqual([
      { n: 1, kind: 'post', name: '朝阳岗亭', status: 'available', geom: at(101.75, 36.67) },
    ]);
    expect(posts.refusals).toEqual([
      {
        n: 2,
        field: 'geometry',
        code: 'not_a_point',
        params: { type: 'Polygon' },
        reason: 'is a Polygon; a point is needed',
      },
    ]);
    const cps = new RowConverter(
      'checkpoints',
      suggestMapping('checkpoints', ['卡口名称', '卡口编号']),
      wgs84,
    ).convert([
      rec(1, { 卡口名称: '宁张公路卡口', 卡口编号: 'KK01' }),
      rec(2, { 卡口名称: '宁张公路卡口二', 卡口编号: 'KK01' }),
    ]);
    expect(cps.rows.map((r) => [r.kind, r.name, r.code])).toEqual([
      ['checkpoint', '宁张公路卡口', 'KK01'],
    ]);
    expect(cps.refusals[0]!.reason).toMatch(/already used by record 1/);
  });

  it('refuses towns with a bad code and open or crossing rings', () => {
    const m = suggestMapping('towns', ['名称', '代码']);
    const square = {
      type: 'Polygon' as const,
      coordinates: [
        [
          [101, 36],
          [102, 36],
          [102, 37],
          [101, 37],
          [101, 36],
        ],
      ],
    };
    const { rows, refusals } = new RowConverter('towns', m, wgs84).convert([
      rec(1, { 名称: '朝阳街道', 代码: 630105001 }, square),
      rec(2, { 名称: '小桥', 代码: '63010500' }, square),
      rec(
        3,
        { 名称: '马坊', 代码: '630105003' },
        {
          type: 'Polygon',
          coordinates: [
            [
              [101, 36],
              [102, 36],
              [102, 37],
              [101, 37],
            ],
          ],
        },
      ),
      rec(
        4,
        { 名称: '廿里铺', 代码: '630105004' },
        {
          type: 'Polygon',
          coordinates: [
            [
              [101, 36],
              [102, 37],
              [102, 36],
              [101, 37],
              [101, 36],
            ],
          ],
        },
      ),
    ]);
    // a bow-tie is buildable: its validity is the database's judgement, made by the import
    expect(rows.map((r) => r.code)).toEqual(['630105001', '630105004']);
    expect(refusals).toEqual([
      {
        n: 2,
        field: 'code (代码)',
        code: 'bad_code',
        params: { text: '63010500', digits: 9 },
        reason: '"63010500" is not a 9-digit statistical code',
      },
      {
        n: 3,
        field: 'geometry',
        code: 'ring_not_closed',
        params: { polygon: null, ring: 1 },
        reason: 'ring 1 is not closed',
      },
    ]);
  });
});

describe('zip limits', () => {
  async function zipOf(files: Record<string, string>): Promise<Uint8Array> {
    const z = new JSZip();
    for (const [name, text] of Object.entries(files)) z.file(name, text);
    return z.generateAsync({ type: 'uint8array', compression: 'DEFLATE' });
  }
  /** Sets the uncompressed size an archive declares for its entries (local and central headers). */
  function declare(bytes: Uint8Array, size: number): Uint8Array {
    const out = bytes.slice();
    const view = new DataView(out.buffer);
    for (let i = 0; i + 4 <= out.length; i++) {
      const sig = view.getUint32(i, true);
      if (sig === 0x04034b50) view.setUint32(i + 22, size, true);
      if (sig === 0x02014b50) view.setUint32(i + 24, size, true);
    }
    return out;
  }

  it('refuses an archive declaring more than the uncompressed limit', async () => {
    const bomb = declare(await zipOf({ 'a.shp': 'x', 'a.dbf': 'y' }), 0x7fffffff);
    await expect(readFile({ bytes: bomb }, { name: 'a.zip' })).rejects.toThrow(
      /expands to 4 GB; at most 1 GB/,
    );
  });

  it('refuses an entry expanding past the size it declares', async () => {
    const liar = declare(await zipOf({ 'a.shp': '0'.repeat(100_000), 'a.dbf': 'y' }), 10);
    const err = await readFile({ bytes: liar }, { name: 'a.zip' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FileRefused);
  });

  it('refuses an archive with too many entries', async () => {
    const files = Object.fromEntries(
      Array.from({ length: READ_LIMITS.zipEntries + 1 }, (_, i) => [`f${i}.txt`, '']),
    );
    await expect(readFile({ bytes: await zipOf(files) }, { name: 'a.zip' })).rejects.toThrow(
      /holds 1001 entries; at most 1000/,
    );
  });
});
