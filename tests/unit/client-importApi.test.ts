import { describe, expect, it } from 'vitest';
import { IMPORT_FIELDS, IMPORT_LAYER_CHOICES, importParams } from '../../client/admin/importApi';
import { IMPORT_LAYERS, LAYER_FIELDS } from '../../server/files/read/mapping';

describe("the import page's fields", () => {
  it("are the server's fields, in its order, required where it requires them", () => {
    expect([...IMPORT_LAYER_CHOICES].sort()).toEqual([...IMPORT_LAYERS].sort());
    for (const layer of IMPORT_LAYERS)
      expect(IMPORT_FIELDS[layer]).toEqual(
        LAYER_FIELDS[layer].map(({ field, required }) => ({ field, required })),
      );
  });
});

describe('importParams', () => {
  it('carries the file, the choices and the mapping as JSON; a source for incidents only', () => {
    const base = {
      name: '天网 台账.csv',
      crs: 'gcj02',
      commit: true,
      repair: false,
      mapping: { deviceCode: '设备编号', name: null },
      mappingName: '  天网台账 ',
      source: '110',
      x: '经度',
      y: '纬度',
    };
    const p = importParams({ ...base, layer: 'cameras' });
    expect(Object.fromEntries(p)).toEqual({
      layer: 'cameras',
      name: '天网 台账.csv',
      x: '经度',
      y: '纬度',
      crs: 'gcj02',
      commit: '1',
      repair: '0',
      mapping: '{"deviceCode":"设备编号","name":null}',
      mappingName: '天网台账',
    });
    expect(importParams({ ...base, layer: 'incidents' }).get('source')).toBe('110');
    // one coordinate column alone is no choice: the server's own then
    expect(importParams({ ...base, layer: 'cameras', y: null }).has('x')).toBe(false);
  });
});
