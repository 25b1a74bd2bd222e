/**
 * The three-tier security protection circles (三级治安防护圈), built with Turf from the
 * district, the checkpoints, the arterial roads and hot spots, and the key sites.
 */
import type { Feature, MultiPolygon, Polygon } from 'geojson';
import {
  buffer,
  difference,
  feature,
  featureCollection,
  intersect,
  lineString,
  union,
} from '@turf/turf';
import { roundArea } from '../../geo/roundArea';
import type { DemoContext } from './context';
import { NIGHT_MARKET, PERSISTENT_HOT_SPOTS } from './places';
import { ARTERIAL_ROADS } from './roads';
import type { Circle, Site } from '../dataset/types';
import type { SiteKind } from '../../domain/vocabulary';

type AreaFeature = Feature<Polygon | MultiPolygon>;

/** Width of the band along the district boundary in the outer circle, metres. */
const BOUNDARY_BAND_M = 400;
const CHECKPOINT_BUFFER_M = 300;
/** Buffers of the inner circle per kind of key site, metres (50–200 m). */
const SITE_BUFFER_M: Readonly<Record<Exclude<SiteKind, 'checkpoint'>, number>> = {
  school: 150,
  hospital: 150,
  hazchem: 200,
  gas: 100,
  government: 100,
  market: 120,
};

/** Builds the outer, middle and inner circles, each clipped to the district. */
export function buildCircles(ctx: DemoContext, sites: readonly Site[]): Circle[] {
  const district = feature(ctx.district.geom);
  const clip = (parts: AreaFeature[]) =>
    finish(intersect(featureCollection([unionAll(parts), district])));
  const checkpoints = sites.filter((s) => s.kind === 'checkpoint');
  const keySites = sites.filter((s) => s.kind !== 'checkpoint');

  const core = buffer(district, -BOUNDARY_BAND_M, { units: 'meters' });
  const band = core ? difference(featureCollection([district, core as AreaFeature])) : district;
  const outer = clip([
    band!,
    ...checkpoints.map((s) => mustBuffer(feature(s.geom), CHECKPOINT_BUFFER_M)),
  ]);

  const middle = clip([
    ...ARTERIAL_ROADS.map((r) =>
      mustBuffer(lineString(r.coordinates), r.kind === 'highway' ? 150 : 250),
    ),
    mustBuffer(lineString(NIGHT_MARKET.line), 200),
    ...PERSISTENT_HOT_SPOTS.map((h) =>
      mustBuffer(feature({ type: 'Point', coordinates: h.centre }), 300),
    ),
  ]);

  const inner = clip(
    keySites.map((s) =>
      mustBuffer(feature(s.geom), SITE_BUFFER_M[s.kind as keyof typeof SITE_BUFFER_M]),
    ),
  );

  const roads = ARTERIAL_ROADS.map((r) => r.name).join('、');
  return [
    {
      ring: 'outer',
      name: '外圈防护圈',
      description: `外圈：进出城北区的道路、桥梁卡点（${checkpoints.length}处）及沿区界${BOUNDARY_BAND_M}米范围，卡点周边${CHECKPOINT_BUFFER_M}米`,
      geom: outer,
    },
    {
      ring: 'middle',
      name: '中圈防护圈',
      description: `中圈：${roads}等主干道两侧150–250米，${NIGHT_MARKET.name}及火车西站、小桥市场等商圈热点周边200–300米，设流动卡点和巡逻`,
      geom: middle,
    },
    {
      ring: 'inner',
      name: '内圈防护圈',
      description: `内圈：学校、医院、危化品和燃气场所、党政机关、市场等重点部位（${keySites.length}处）周边50–200米`,
      geom: inner,
    },
  ];
}

function mustBuffer(f: Feature, meters: number): AreaFeature {
  const b = buffer(f, meters, { units: 'meters', steps: 8 });
  if (!b) throw new Error('buildCircles: buffer failed');
  return b as AreaFeature;
}

function unionAll(parts: AreaFeature[]): AreaFeature {
  if (parts.length === 0) throw new Error('buildCircles: nothing to union');
  if (parts.length === 1) return parts[0]!;
  const u = union(featureCollection(parts));
  if (!u) throw new Error('buildCircles: union failed');
  return u;
}

function finish(f: AreaFeature | null): Polygon | MultiPolygon {
  const geom = f && roundArea(f.geometry);
  if (!geom) throw new Error('buildCircles: a circle came out empty');
  return geom;
}
