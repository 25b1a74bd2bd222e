/** The layer panel's export links: the route's parameters, the window only for incidents. */
import { describe, expect, it } from 'vitest';
import { EXPORT_OF, exportUrl } from '../../client/panels/exportLink';
import { LAYER_REGISTRY } from '../../client/layers/registry';
import { can, ROLES, type Role } from '../../domain/policy';
import { checkExport, exportParams, type ExportLayer } from '../../server/services/dataExport';

const range = {
  from: Date.parse('2026-06-01T00:00:00+08:00'),
  to: Date.parse('2026-07-01T00:00:00+08:00'),
};

describe('exportUrl', () => {
  it('sends the window and categories with incidents, which the route accepts', () => {
    const url = exportUrl({
      layer: 'incidents',
      format: 'csv',
      crs: 'EPSG:4543',
      range,
      categories: ['fire', 'traffic'],
    });
    const q = Object.fromEntries(new URL(url, 'http://x').searchParams);
    expect(q).toEqual({
      layer: 'incidents',
      format: 'csv',
      crs: 'EPSG:4543',
      from: '2026-05-31T16:00:00.000Z',
      to: '2026-06-30T16:00:00.000Z',
      categories: 'fire,traffic',
    });
    expect(exportParams.safeParse(q).success).toBe(true);
  });

  it('sends no window with a layer, which the route would refuse', () => {
    const url = exportUrl({
      layer: 'zones',
      format: 'shp',
      crs: 'wgs84',
      range,
      categories: ['fire'],
    });
    const q = Object.fromEntries(new URL(url, 'http://x').searchParams);
    expect(q).toEqual({ layer: 'zones', format: 'shp', crs: 'wgs84' });
    expect(exportParams.safeParse(q).success).toBe(true);
  });

  it('lets a role export a layer exactly when the panel offers it the layer', () => {
    const allowed = (role: Role, layer: ExportLayer) => {
      try {
        checkExport({ role }, layer);
        return true;
      } catch {
        return false;
      }
    };
    for (const entry of LAYER_REGISTRY) {
      const layer = EXPORT_OF[entry.id];
      if (!layer) continue;
      for (const role of ROLES) {
        // incidents one by one also need incidents:read
        const offered =
          can(role, entry.permission) && (layer !== 'incidents' || can(role, 'incidents:read'));
        expect(allowed(role, layer), `${role} ${entry.id}`).toBe(offered);
      }
    }
    expect(allowed('analyst', 'cameras')).toBe(false);
  });
});
