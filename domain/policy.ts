/**
 * Who may do what: the roles' permissions (permissions.ts) and what a display limited to some
 * map layers may read. Pure: no database, no HTTP (the client reads it too, to offer only what a
 * role may see).
 */
import { layerSources, type MapLayer } from './layers';

export * from './permissions';
export { LAYERS, MAP_LAYERS, type MapLayer } from './layers';

/**
 * What each procedure and HTTP route carries, for displays limited to some map layers. One
 * table, deny by default: every procedure of the API is in it (a test walks the router to make
 * sure), and one missing is refused to a limited display. The sources of the layers' data come
 * from the layers themselves (domain/layers.ts); the rest is listed here.
 * - `neutral`: no layer's data (boundaries, indicators per area, rankings, the session): a
 *   limited display reads it as its role allows;
 * - `{ any: [...] }`: the data of those layers; a display needs at least one of them;
 * - `{ all: [...] }`: data drawn from all of those layers together; a display needs each one;
 * - `none`: never for a limited display (administration, editing).
 */
export type LayerRule =
  | 'neutral'
  | 'none'
  | { readonly any: readonly MapLayer[] }
  | { readonly all: readonly MapLayer[] };

const all = (...layers: MapLayer[]): LayerRule => ({ all: layers });

/** What carries no layer's data, or several layers' together, or is never for a display. */
const OTHER_RULES: Readonly<Record<string, LayerRule>> = {
  'system.health': 'neutral',
  'system.config': 'neutral',
  'auth.login': 'neutral',
  'auth.logout': 'neutral',
  'auth.logoutEverywhere': 'neutral',
  'auth.totpSetup': 'neutral',
  'auth.totpVerify': 'neutral',
  'auth.changePassword': 'neutral',
  'auth.me': 'neutral',
  // a file of one layer: the route checks that layer as its data's source would be checked
  '/api/export': 'neutral',
  // an admin's files in: never a display's
  '/api/import': 'none',
  '/api/import/inspect': 'none',
  'users.list': 'none',
  'users.add': 'none',
  'users.setLayers': 'none',
  'users.setDisabled': 'none',
  'users.addIntegration': 'none',
  'users.revokeToken': 'none',
  'audit.list': 'none',
  'audit.verify': 'none',
  // boundaries are drawn on every display
  'regions.district': 'neutral',
  'regions.towns': 'neutral',
  'regions.communities': 'neutral',
  // counts per category, area or time; the number of incidents in a window (what the client
  // asks before it chooses between points and cells)
  'incidents.summary': 'neutral',
  'incidents.windowSize': 'neutral',
  // a feed's incidents come in through these, never a display's
  'incidents.ingest': 'none',
  '/api/incidents/ingest': 'none',
  'disputes.summary': 'neutral',
  'zones.create': 'none',
  'zones.update': 'none',
  'zones.delete': 'none',
  'zones.restore': 'none',
  'posts.create': 'none',
  'posts.update': 'none',
  'posts.delete': 'none',
  'posts.restore': 'none',
  // coverage ratios per community are indicators (the blind spots are a layer)
  'coverage.byCommunity': 'neutral',
  'coverage.infill': 'neutral',
  // key sites by name, with what the cameras see around them
  'coverage.sites': all('sites', 'cameras'),
  'reach.summary': 'neutral',
  'hotspots.spikes': 'neutral',
  'rankings.communities': 'neutral',
  // a draft is measured against the saved zones and posts
  'plan.evaluate': all('zones', 'posts'),
  'plan.suggest': 'none',
  // briefings are read and made at the desk, never on a wall display
  'briefings.list': 'none',
  'briefings.get': 'none',
  'briefings.create': 'none',
  'briefings.update': 'none',
  'briefings.delete': 'none',
  'briefings.fromMonth': 'none',
  // pictures and PDFs are made at the desk; a display makes none
  'exports.record': 'none',
};

/** The sources of each layer's data (domain/layers.ts): a display needs one of their layers. */
function layerRules(): Record<string, LayerRule> {
  const out: Record<string, LayerRule> = {};
  for (const [source, layers] of layerSources()) {
    if (Object.hasOwn(OTHER_RULES, source))
      throw new Error(`${source} is both a layer's source (domain/layers.ts) and in OTHER_RULES`);
    out[source] = { any: layers };
  }
  return out;
}

export const LAYER_RULES: Readonly<Record<string, LayerRule>> = {
  ...OTHER_RULES,
  ...layerRules(),
};

/**
 * Whether a user limited to `layers` (null or absent: not limited) may call `source`, a
 * procedure's path or an HTTP route. Anything the table does not name is refused.
 */
export function layerAllows(layers: readonly string[] | null | undefined, source: string) {
  if (!layers) return true;
  const rule = Object.hasOwn(LAYER_RULES, source) ? LAYER_RULES[source] : undefined;
  if (rule === undefined || rule === 'none') return false;
  if (rule === 'neutral') return true;
  return 'any' in rule
    ? rule.any.some((l) => layers.includes(l))
    : rule.all.every((l) => layers.includes(l));
}
