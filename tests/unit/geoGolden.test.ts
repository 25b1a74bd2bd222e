/**
 * Golden-file tests for every function exported from geo/ (cameraSector has its own file,
 * cameraSector.test.ts). Each `describe` registers one case per
 * `tests/fixtures/geo/<fnName>/in/*.geojson` and compares the result with `out/`.
 *
 * Fixture conventions, shared by all adapters below:
 * - an input is a FeatureCollection (or a single Feature); Features with a geometry are the
 *   data (areas, points, lines), Features with `"geometry": null` carry the options of the
 *   call in their properties (merged in order);
 * - every output Feature keeps the properties of the input Feature it comes from (e.g. `case`)
 *   and adds the result; a result that is not geometry goes into the properties;
 * - a call that throws gives a Feature with null geometry and its message in `properties.error`,
 *   so the golden files also lock in what the functions reject.
 *
 * REGEN=1 npx vitest run --project unit tests/unit/geoGolden.test.ts  rewrites out/: review the diff.
 */
import type {
  Feature,
  FeatureCollection,
  GeoJSON,
  Geometry,
  LineString,
  MultiPolygon,
  Point,
  Polygon,
  Position,
} from 'geojson';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { describe } from 'vitest';
import { approxDistanceMeters } from '../../geo/approxDistanceMeters';
import { areaBBox } from '../../geo/areaBBox';
import { areaCentroid } from '../../geo/areaCentroid';
import { circleRing } from '../../geo/circleRing';
import { clippedVoronoi } from '../../geo/clippedVoronoi';
import { createAreaIndex } from '../../geo/createAreaIndex';
import { findAreaProblems } from '../../geo/findAreaProblems';
import { gcj02Offset } from '../../geo/gcj02Offset';
import { getisOrdGiStar, type GridCount } from '../../geo/getisOrdGiStar';
import { cellCentre, heatGrid, metresPerDegree } from '../../geo/heatGrid';
import { lineLengthMeters } from '../../geo/lineLengthMeters';
import { maxCoveringLocations } from '../../geo/maxCoveringLocations';
import { offsetPosition } from '../../geo/offsetPosition';
import { pointAlongLine } from '../../geo/pointAlongLine';
import { pointInArea } from '../../geo/pointInArea';
import { randomPointInArea } from '../../geo/randomPointInArea';
import { reachRadiusMeters } from '../../geo/reachRadius';
import { rewindArea } from '../../geo/rewindArea';
import { roundArea } from '../../geo/roundArea';
import { signedRingArea } from '../../geo/signedRingArea';
import { simplifyToVertices } from '../../geo/simplifyToVertices';
import { unionAreas } from '../../geo/unionAreas';
import { voronoiCells } from '../../geo/voronoiCells';
import { goldenCases } from '../golden';

type Props = Record<string, unknown>;
type Area = Polygon | MultiPolygon;
type OutFeature = Feature<Geometry | null, Props>;

// ---------------------------------------------------------------------------------------------
// Reading inputs

function featuresOf(input: GeoJSON): Feature[] {
  if (input.type === 'FeatureCollection') return input.features;
  if (input.type === 'Feature') return [input];
  throw new Error(`expected a Feature or FeatureCollection, got a ${input.type}`);
}

/** The data Features of an input (those with a geometry). */
function dataOf(input: GeoJSON): Feature[] {
  return featuresOf(input).filter((f) => f.geometry !== null);
}

/** The options of a call: the merged properties of the Features with a null geometry. */
function optionsOf(input: GeoJSON): Props {
  return Object.assign(
    {},
    ...featuresOf(input)
      .filter((f) => f.geometry === null)
      .map((f) => f.properties ?? {}),
  ) as Props;
}

function propsOf(f: Feature): Props {
  return { ...(f.properties ?? {}) };
}

function isArea(f: Feature): f is Feature<Area> {
  return f.geometry?.type === 'Polygon' || f.geometry?.type === 'MultiPolygon';
}

function areasOf(input: GeoJSON): Feature<Area>[] {
  return dataOf(input).filter(isArea);
}

function pointsOf(input: GeoJSON): Feature<Point>[] {
  return dataOf(input).filter((f): f is Feature<Point> => f.geometry.type === 'Point');
}

function linesOf(input: GeoJSON): Feature<LineString>[] {
  return dataOf(input).filter((f): f is Feature<LineString> => f.geometry.type === 'LineString');
}

/** The one area of an input that has exactly one. */
function theArea(input: GeoJSON): Feature<Area> {
  const areas = areasOf(input);
  if (areas.length !== 1) throw new Error(`expected one area, got ${areas.length}`);
  return areas[0]!;
}

// ---------------------------------------------------------------------------------------------
// Writing outputs

/**
 * A FeatureCollection of results. Null geometries are valid GeoJSON (RFC 7946 §3.2) but the
 * default `GeoJSON` type of @types/geojson, which the harness takes, leaves them out.
 */
function collection(features: OutFeature[]): GeoJSON {
  const fc: FeatureCollection<Geometry | null, Props> = { type: 'FeatureCollection', features };
  return fc as GeoJSON;
}

function out(geometry: Geometry | null, properties: Props): OutFeature {
  return { type: 'Feature', geometry, properties };
}

/** What `run` returns, or a null-geometry Feature with `props` and the error if it throws. */
function attempt(props: Props, run: () => OutFeature): OutFeature {
  try {
    return run();
  } catch (e) {
    return out(null, { ...props, error: e instanceof Error ? e.message : String(e) });
  }
}

/** The Features `run` returns, or a single error Feature if the call throws. */
function attemptAll(run: () => OutFeature[]): GeoJSON {
  let features: OutFeature[];
  try {
    features = run();
  } catch (e) {
    features = [out(null, { error: e instanceof Error ? e.message : String(e) })];
  }
  return collection(features);
}

function pointGeometry(p: Position): Point {
  return { type: 'Point', coordinates: p };
}

function bboxPolygon([minX, minY, maxX, maxY]: readonly number[]): Polygon {
  return {
    type: 'Polygon',
    coordinates: [
      [
        [minX!, minY!],
        [maxX!, minY!],
        [maxX!, maxY!],
        [minX!, maxY!],
        [minX!, minY!],
      ],
    ],
  };
}

/** A seeded source of uniform numbers in [0, 1) (pure-rand's xoroshiro128+, 53 bits). */
function seededRandom(seed: number): () => number {
  const gen = xoroshiro128plus(seed);
  return () => uniformFloat64(gen);
}

// ---------------------------------------------------------------------------------------------

describe('approxDistanceMeters golden files', () => {
  // each two-position LineString a → b gives properties.meters
  goldenCases('approxDistanceMeters', (input) =>
    collection(
      linesOf(input).map((f) =>
        attempt(propsOf(f), () => {
          const [a, b] = f.geometry.coordinates;
          return out(f.geometry, { ...propsOf(f), meters: approxDistanceMeters(a!, b!) });
        }),
      ),
    ),
  );
});

describe('areaBBox golden files', () => {
  // each area gives its bounding box, as properties.bbox and as the output geometry
  goldenCases('areaBBox', (input) =>
    collection(
      areasOf(input).map((f) =>
        attempt(propsOf(f), () => {
          const bbox = areaBBox(f.geometry);
          return out(bboxPolygon(bbox), { ...propsOf(f), bbox });
        }),
      ),
    ),
  );
});

describe('areaCentroid golden files', () => {
  // each area gives its centroid as a Point
  goldenCases('areaCentroid', (input) =>
    collection(
      areasOf(input).map((f) =>
        attempt(propsOf(f), () => out(pointGeometry(areaCentroid(f.geometry)), propsOf(f))),
      ),
    ),
  );
});

describe('circleRing golden files', () => {
  // each Point with radiusMeters (and steps) gives the circle's Polygon
  goldenCases('circleRing', (input) =>
    collection(
      pointsOf(input).map((f) =>
        attempt(propsOf(f), () => {
          const { radiusMeters, steps } = f.properties as { radiusMeters: number; steps?: number };
          return out(circleRing(f.geometry.coordinates, radiusMeters, steps), propsOf(f));
        }),
      ),
    ),
  );
});

describe('clippedVoronoi golden files', () => {
  // one clip area and the site Points → one Feature per site with its cell (null geometry if
  // the cell misses the area), properties.site its index
  goldenCases('clippedVoronoi', (input) =>
    attemptAll(() => {
      const sites = pointsOf(input);
      const cells = clippedVoronoi(
        sites.map((s) => s.geometry.coordinates),
        theArea(input).geometry,
      );
      return cells.map((cell, i) => out(cell, { ...propsOf(sites[i]!), site: i }));
    }),
  );
});

describe('createAreaIndex golden files', () => {
  // the areas are indexed in input order and each Point looked up: properties.area is what
  // find() returns (-1: none) and properties.name that area's name; option cellsAcross
  goldenCases('createAreaIndex', (input) =>
    attemptAll(() => {
      const areas = areasOf(input);
      const { cellsAcross } = optionsOf(input) as { cellsAcross?: number };
      const index = createAreaIndex(
        areas.map((a) => a.geometry),
        cellsAcross,
      );
      return pointsOf(input).map((p) => {
        const [lon, lat] = p.geometry.coordinates as [number, number];
        const area = index.find(lon, lat);
        const name = area >= 0 ? (areas[area]!.properties?.name ?? null) : null;
        return out(p.geometry, { ...propsOf(p), area, name });
      });
    }),
  );
});

describe('findAreaProblems golden files', () => {
  // each area gives properties.problems (the geometry is not repeated in the output)
  goldenCases('findAreaProblems', (input) =>
    collection(
      areasOf(input).map((f) =>
        attempt(propsOf(f), () =>
          out(null, { ...propsOf(f), problems: findAreaProblems(f.geometry) }),
        ),
      ),
    ),
  );
});

describe('gcj02Offset golden files', () => {
  // each WGS84 Point gives properties.offset [dLon, dLat] in degrees; the output geometry is
  // the point moved by it, i.e. where it lies in GCJ-02
  goldenCases('gcj02Offset', (input) =>
    collection(
      pointsOf(input).map((f) =>
        attempt(propsOf(f), () => {
          const [lon, lat] = f.geometry.coordinates as [number, number];
          const offset = gcj02Offset([lon, lat]);
          return out(pointGeometry([lon + offset[0], lat + offset[1]]), {
            ...propsOf(f),
            offset,
          });
        }),
      ),
    ),
  );
});

describe('getisOrdGiStar golden files', () => {
  // Points (at the cell centres) carry the cells' i, j and count; options bandCells and fdr.
  // Each output Point adds z, p and class.
  goldenCases('getisOrdGiStar', (input) =>
    attemptAll(() => {
      const points = pointsOf(input);
      const { bandCells, fdr } = optionsOf(input) as { bandCells: number; fdr?: boolean };
      const cells: GridCount[] = points.map((f) => {
        const { i, j, count } = f.properties as unknown as GridCount;
        return { i, j, count };
      });
      return getisOrdGiStar(cells, { bandCells, fdr }).map((g, k) =>
        out(points[k]!.geometry, { ...propsOf(points[k]!), ...g }),
      );
    }),
  );
});

describe('heatGrid golden files', () => {
  // each null-geometry Feature's cellMeters gives the grid in properties.grid
  goldenCases('heatGrid', (input) =>
    collection(
      featuresOf(input).map((f) =>
        attempt(propsOf(f), () =>
          out(null, {
            ...propsOf(f),
            grid: heatGrid((f.properties as { cellMeters: number }).cellMeters),
          }),
        ),
      ),
    ),
  );
});

describe('metresPerDegree golden files', () => {
  // each null-geometry Feature's lat gives properties.metres { lon, lat }
  goldenCases('metresPerDegree', (input) =>
    collection(
      featuresOf(input).map((f) =>
        attempt(propsOf(f), () =>
          out(null, {
            ...propsOf(f),
            metres: metresPerDegree((f.properties as { lat: number }).lat),
          }),
        ),
      ),
    ),
  );
});

describe('cellCentre golden files', () => {
  // option cellMeters picks the grid (heatGrid); each null-geometry Feature with i and j gives
  // that cell's centre as a Point, and the cell itself as properties.cell [w, s, e, n]
  goldenCases('cellCentre', (input) =>
    attemptAll(() => {
      const { cellMeters } = optionsOf(input) as { cellMeters: number };
      const g = heatGrid(cellMeters);
      return featuresOf(input)
        .filter((f) => f.properties && 'i' in f.properties)
        .map((f) => {
          const { i, j } = f.properties as { i: number; j: number };
          const cell = [
            g.lon0 + i * g.dLon,
            g.lat0 + j * g.dLat,
            g.lon0 + (i + 1) * g.dLon,
            g.lat0 + (j + 1) * g.dLat,
          ];
          return out(pointGeometry(cellCentre(g, i, j)), { ...propsOf(f), cell });
        });
    }),
  );
});

describe('lineLengthMeters golden files', () => {
  // each LineString gives properties.meters
  goldenCases('lineLengthMeters', (input) =>
    collection(
      linesOf(input).map((f) =>
        attempt(propsOf(f), () =>
          out(f.geometry, { ...propsOf(f), meters: lineLengthMeters(f.geometry.coordinates) }),
        ),
      ),
    ),
  );
});

describe('maxCoveringLocations golden files', () => {
  // Points with a weight are demand, the other Points candidates (indexes in input order);
  // options k, radiusMeters, fixed and start. Gives a null-geometry Feature with the figures
  // (chosen, covered, total, coveredByFixed), then each chosen candidate in order with
  // properties.candidate its index and properties.rank its place
  goldenCases('maxCoveringLocations', (input) =>
    attemptAll(() => {
      const points = pointsOf(input);
      const demand = points.filter((f) => 'weight' in propsOf(f));
      const candidates = points.filter((f) => !('weight' in propsOf(f)));
      const { k, radiusMeters, fixed, start } = optionsOf(input) as {
        k: number;
        radiusMeters: number;
        fixed?: number[];
        start?: number[];
      };
      const result = maxCoveringLocations({
        demand: demand.map((f) => ({
          position: f.geometry.coordinates as [number, number],
          weight: propsOf(f).weight as number,
        })),
        candidates: candidates.map((f) => f.geometry.coordinates as [number, number]),
        fixed,
        k,
        radiusMeters,
        start,
      });
      return [
        out(null, { ...result }),
        ...result.chosen.map((c, rank) =>
          out(candidates[c]!.geometry, { ...propsOf(candidates[c]!), candidate: c, rank }),
        ),
      ];
    }),
  );
});

describe('offsetPosition golden files', () => {
  // each Point with eastM and northM gives the moved Point
  goldenCases('offsetPosition', (input) =>
    collection(
      pointsOf(input).map((f) =>
        attempt(propsOf(f), () => {
          const { eastM, northM } = f.properties as { eastM: number; northM: number };
          return out(
            pointGeometry(offsetPosition(f.geometry.coordinates, eastM, northM)),
            propsOf(f),
          );
        }),
      ),
    ),
  );
});

describe('pointAlongLine golden files', () => {
  // each LineString with a fraction gives the Point there, with properties.bearing
  goldenCases('pointAlongLine', (input) =>
    collection(
      linesOf(input).map((f) =>
        attempt(propsOf(f), () => {
          const { fraction } = f.properties as { fraction: number };
          const { position, bearing } = pointAlongLine(f.geometry.coordinates, fraction);
          return out(pointGeometry(position), { ...propsOf(f), bearing });
        }),
      ),
    ),
  );
});

describe('pointInArea golden files', () => {
  // one area and Points: each Point gets properties.inside
  goldenCases('pointInArea', (input) => {
    const area = theArea(input).geometry;
    return collection(
      pointsOf(input).map((f) =>
        attempt(propsOf(f), () => {
          const [lon, lat] = f.geometry.coordinates as [number, number];
          return out(f.geometry, { ...propsOf(f), inside: pointInArea(lon, lat, area) });
        }),
      ),
    );
  });
});

describe('randomPointInArea golden files', () => {
  // one area; options seed, count, and decimals / maxTries when given: count Points drawn in
  // a row from one seeded generator, properties.draw their order
  goldenCases('randomPointInArea', (input) =>
    attemptAll(() => {
      const area = theArea(input).geometry;
      const { seed, count, decimals, maxTries } = optionsOf(input) as {
        seed: number;
        count: number;
        decimals?: number;
        maxTries?: number;
      };
      const random = seededRandom(seed);
      return Array.from({ length: count }, (_, draw) =>
        out(pointGeometry(randomPointInArea(area, random, decimals, maxTries)), { draw }),
      );
    }),
  );
});

describe('reachRadiusMeters golden files', () => {
  // each Point (a unit) with minutes, speedKmh and detour gets properties.radiusM
  goldenCases('reachRadiusMeters', (input) =>
    collection(
      pointsOf(input).map((f) =>
        attempt(propsOf(f), () => {
          const { minutes, speedKmh, detour } = f.properties as Record<string, number>;
          return out(f.geometry, {
            ...propsOf(f),
            radiusM: reachRadiusMeters(minutes!, speedKmh!, detour!),
          });
        }),
      ),
    ),
  );
});

describe('rewindArea golden files', () => {
  // each area is rewound
  goldenCases('rewindArea', (input) =>
    collection(
      areasOf(input).map((f) => attempt(propsOf(f), () => out(rewindArea(f.geometry), propsOf(f)))),
    ),
  );
});

describe('roundArea golden files', () => {
  // each area is rounded to properties.decimals (default 6); a null result is a null geometry
  goldenCases('roundArea', (input) =>
    collection(
      areasOf(input).map((f) =>
        attempt(propsOf(f), () => {
          const { decimals } = f.properties as { decimals?: number };
          return out(roundArea(f.geometry, decimals), propsOf(f));
        }),
      ),
    ),
  );
});

describe('signedRingArea golden files', () => {
  // each LineString is a ring and gets properties.area (square degrees)
  goldenCases('signedRingArea', (input) =>
    collection(
      linesOf(input).map((f) =>
        attempt(propsOf(f), () =>
          out(f.geometry, { ...propsOf(f), area: signedRingArea(f.geometry.coordinates) }),
        ),
      ),
    ),
  );
});

describe('simplifyToVertices golden files', () => {
  // each LineString or Polygon with maxVertices gives the simplified geometry, with its count
  goldenCases('simplifyToVertices', (input) =>
    collection(
      dataOf(input).map((f) =>
        attempt(propsOf(f), () => {
          const { maxVertices } = f.properties as { maxVertices: number };
          const g = simplifyToVertices(f.geometry as LineString | Polygon, maxVertices);
          const n = g.type === 'Polygon' ? g.coordinates[0]!.length : g.coordinates.length;
          return out(g, { ...propsOf(f), vertices: n });
        }),
      ),
    ),
  );
});

describe('unionAreas golden files', () => {
  // the areas are united into one Feature, properties.of the names of the areas united;
  // option what names them in errors
  goldenCases('unionAreas', (input) =>
    attemptAll(() => {
      const areas = areasOf(input);
      const { what } = optionsOf(input) as { what?: string };
      const united = unionAreas(
        areas.map((f) => f.geometry),
        what,
      );
      return [out(united, { of: areas.map((f) => f.properties?.name ?? null) })];
    }),
  );
});

describe('voronoiCells golden files', () => {
  // the Points and the FeatureCollection's bbox → one Feature per Point with its cell as a
  // Polygon (null geometry for a duplicate point), properties.site its index
  goldenCases('voronoiCells', (input) =>
    attemptAll(() => {
      const sites = pointsOf(input);
      if (!input.bbox || input.bbox.length !== 4) throw new Error('the input needs a 2D bbox');
      const bbox = input.bbox as [number, number, number, number];
      return voronoiCells(
        sites.map((s) => s.geometry.coordinates),
        bbox,
      ).map((ring, i) =>
        out(ring && { type: 'Polygon', coordinates: [ring] }, { ...propsOf(sites[i]!), site: i }),
      );
    }),
  );
});
