/**
 * The download links of the layer panel's 导出 menu: GET /api/export with the layer, the format,
 * the coordinate system, and for incidents the view's window and categories.
 */
import type { Range } from '../../domain/time';
import type { IncidentCategory } from '../../domain/vocabulary';
import type { ExportFormat } from '../../server/files/write';
import type { ExportLayer } from '../../server/services/dataExport';
import type { LayerId } from '../state/view';

/** The export of each map layer that has one: the incident layers export the incidents. */
export const EXPORT_OF: Readonly<Partial<Record<LayerId, ExportLayer>>> = {
  points: 'incidents',
  communities: 'communities',
  towns: 'towns',
  circles: 'circles',
  cameras: 'cameras',
  zones: 'zones',
  posts: 'posts',
  sites: 'sites',
};

export const EXPORT_FORMAT_CHOICES = [
  'shp',
  'xlsx',
  'csv',
  'geojson',
] as const satisfies readonly ExportFormat[];

/** The coordinate systems offered; the command line and the route take any EPSG:4491–4554 too. */
export const EXPORT_CRS_CHOICES = ['wgs84', 'cgcs2000', 'EPSG:4543', 'gcj02', 'bd09'] as const;

export interface ExportChoice {
  layer: ExportLayer;
  format: ExportFormat;
  crs: string;
  /** the view's window and categories (incidents only) */
  range?: Range;
  categories?: readonly IncidentCategory[];
}

/** The route's URL for a choice. */
export function exportUrl(c: ExportChoice): string {
  const p = new URLSearchParams({ layer: c.layer, format: c.format, crs: c.crs });
  if (c.layer === 'incidents' && c.range) {
    p.set('from', new Date(c.range.from).toISOString());
    p.set('to', new Date(c.range.to).toISOString());
    if (c.categories?.length) p.set('categories', c.categories.join(','));
  }
  return `/api/export?${p}`;
}
