/**
 * The map's layers, as the server knows them: one entry per layer, in the order the layer panel
 * lists them. The client's registry (client/layers/registry.ts) adds how each one is drawn.
 *
 * - `permission`: what a role needs to be offered the layer (policy.ts);
 * - `sources`: the procedures and HTTP routes whose data is this layer's. A display limited to
 *   some layers may call a source when at least one of its layers is allowed (LAYER_RULES in
 *   policy.ts is derived from these lists). Boundaries list none: they are drawn on every
 *   display, so their procedures are neutral.
 */
import type { Permission } from './permissions';

export interface LayerDomain {
  readonly permission: Permission;
  readonly sources: readonly string[];
}

export const LAYERS = {
  // live.incidents adds new incidents to the columns of /api/incidents.arrow (and live.all
  // carries them): the heat and the points are drawn from those columns; a window too large for
  // the columns is drawn from its cells (incidents.cells)
  heat: {
    permission: 'dashboard:read',
    sources: [
      'incidents.heat',
      'incidents.cells',
      '/api/incidents.arrow',
      'live.incidents',
      'live.all',
    ],
  },
  // the positions come with the heat's columns; one incident's details need incidents:read
  points: {
    permission: 'dashboard:read',
    sources: [
      'incidents.list',
      'incidents.get',
      '/api/incidents.arrow',
      'live.incidents',
      'live.all',
    ],
  },
  communities: { permission: 'dashboard:read', sources: [] },
  towns: { permission: 'dashboard:read', sources: [] },
  circles: { permission: 'dashboard:read', sources: ['circles.list', 'circles.stats'] },
  cameras: { permission: 'cameras:read', sources: ['cameras.list'] },
  infill: { permission: 'cameras:read', sources: ['cameras.list'] },
  sectors: { permission: 'cameras:read', sources: ['cameras.list'] },
  // live.changes (and live.all) says which zone or post changed, by whom
  zones: {
    permission: 'dashboard:read',
    sources: ['zones.list', 'zones.history', 'live.changes', 'live.all'],
  },
  posts: {
    permission: 'dashboard:read',
    sources: ['posts.list', 'posts.history', 'live.changes', 'live.all'],
  },
  sites: { permission: 'dashboard:read', sources: ['sites.list'] },
  // drawn from the camera positions
  gaps: { permission: 'cameras:read', sources: ['coverage.gaps'] },
  reach: { permission: 'dashboard:read', sources: ['reach.isochrones'] },
  hotspots: { permission: 'dashboard:read', sources: ['hotspots.gistar'] },
} as const satisfies Record<string, LayerDomain>;

export type MapLayer = keyof typeof LAYERS;

/** The map's layers (the client's LayerId): a display may be limited to some of them. */
export const MAP_LAYERS: readonly MapLayer[] = Object.keys(LAYERS) as MapLayer[];

/** Every source named by some layer, with the layers whose data it carries (in layer order). */
export function layerSources(): Map<string, MapLayer[]> {
  const out = new Map<string, MapLayer[]>();
  for (const id of MAP_LAYERS)
    for (const source of LAYERS[id].sources) {
      const list = out.get(source) ?? [];
      list.push(id);
      out.set(source, list);
    }
  return out;
}
