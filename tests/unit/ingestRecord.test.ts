/** A feed's record as it is checked and brought to what is stored; the category table. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkIncidentRecord } from '../../server/dataset/validate';
import { categoryTable, loadCategoryTable } from '../../server/services/ingest';

const NOW = Date.parse('2026-06-30T12:00:00Z');
const rules = { categories: categoryTable(), now: NOW, spanStart: Date.parse('2026-01-01') };
const base = {
  sourceId: ' 20260630-0001 ',
  time: '2026-06-30T10:00:00+08:00',
  lon: 101.8,
  lat: 36.6,
};

describe('checkIncidentRecord', () => {
  it('brings a record to what is stored', () => {
    expect(
      checkIncidentRecord({ ...base, category: '刑事', address: ' 朝阳东路 ' }, rules),
    ).toEqual({
      record: {
        sourceId: '20260630-0001',
        time: Date.parse('2026-06-30T02:00:00Z'),
        category: 'criminal',
        subcategory: 'criminal_other',
        status: 'open',
        lon: 101.8,
        lat: 36.6,
        address: '朝阳东路',
        linkedSourceId: null,
      },
    });
  });

  it("maps a source's subcategory labels, and gives none or 其他 the category's catch-all", () => {
    const sub = (category: string, subcategory?: string) => {
      const r = checkIncidentRecord({ ...base, category, subcategory }, rules);
      return 'record' in r ? r.record.subcategory : r;
    };
    expect(sub('交通')).toBe('traffic_other');
    expect(sub('交通', ' 其他 ')).toBe('traffic_other');
    expect(sub('刑事', '电信网络诈骗')).toBe('fraud');
    expect(sub('刑事', 'fraud')).toBe('fraud');
    // a subcategory of the source's own is kept as sent, even one named like a property
    expect(sub('求助', '高空抛物')).toBe('高空抛物');
    expect(sub('other', 'toString')).toBe('toString');
  });

  it('takes epoch milliseconds and a time up to 5 minutes ahead', () => {
    const r = checkIncidentRecord({ ...base, category: 'fire', time: NOW + 299_000 }, rules);
    expect(r).toMatchObject({ record: { time: NOW + 299_000, category: 'fire' } });
    expect(checkIncidentRecord({ ...base, category: 'fire', time: NOW + 301_000 }, rules)).toEqual({
      field: 'time',
      reason: '2026-06-30T12:05:01.000Z is more than 5 minutes in the future',
    });
  });

  it('names the field of each problem', () => {
    const field = (extra: Record<string, unknown>) => {
      const r = checkIncidentRecord({ ...base, category: 'traffic', ...extra }, rules);
      return 'field' in r ? r.field : null;
    };
    expect(field({ sourceId: '' })).toBe('sourceId');
    expect(field({ sourceId: 12 })).toBe('sourceId');
    expect(field({ address: 'x'.repeat(201) })).toBe('address');
    expect(field({ time: 'yesterday' })).toBe('time');
    expect(field({ category: undefined })).toBe('category');
    expect(field({ status: 'lost' })).toBe('status');
    expect(field({ crs: 'epsg:3857' })).toBe('crs');
    expect(field({ lat: undefined })).toBe('lat');
    expect(field({ lon: Infinity })).toBe('lon');
    expect(field({ status: 'cancelled' })).toBeNull();
  });
});

describe('the category table', () => {
  it('adds a file of labels to the built-in ones, and refuses an unknown code', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'pingan-map-'));
    try {
      const file = path.join(dir, 'map.json');
      writeFileSync(file, JSON.stringify({ 盗窃警情: 'criminal' }));
      const table = loadCategoryTable(file);
      expect(table.get('盗窃警情')).toBe('criminal');
      expect(table.get('交通')).toBe('traffic');
      expect(table.get('assistance')).toBe('assistance');
      writeFileSync(file, JSON.stringify({ 盗窃: 'theft' }));
      expect(() => loadCategoryTable(file)).toThrow(/"盗窃" maps to "theft", which is not one of/);
      writeFileSync(file, '{');
      expect(() => loadCategoryTable(file)).toThrow(/not a readable JSON file/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
