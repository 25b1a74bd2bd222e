import type { Position } from 'geojson';
import type { AreaIndex } from '../../geo/createAreaIndex';
import type { CommunityLayout } from './regions';
import type { DensityGrid } from './density';
import type { District, IncidentColumns, Town } from '../dataset/types';
import type { DemoWindow } from './window';

/** What the later parts of the generator (sites, cameras, patrol, ...) build on. */
export interface DemoContext {
  seed: string;
  window: DemoWindow;
  district: District;
  towns: Town[];
  layout: CommunityLayout;
  /** finds the community (index into layout.communities) containing a point */
  index: AreaIndex;
  incidents: IncidentColumns;
  density: DensityGrid;
}

/** The id of the community containing a point, or null outside the district. */
export function communityAt(ctx: DemoContext, p: Position): number | null {
  const i = ctx.index.find(p[0]!, p[1]!);
  return i < 0 ? null : ctx.layout.communities[i]!.id;
}

/** Rounds a position to 6 decimals (about 0.1 m). */
export function round6(p: Position): Position {
  return [Math.round(p[0]! * 1e6) / 1e6, Math.round(p[1]! * 1e6) / 1e6];
}
