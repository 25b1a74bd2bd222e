/**
 * Loads the two source files in ./data (see data/README.md): the district boundary and the
 * names of the real villages/communities. Both are checked with zod when read.
 */
import { readFileSync } from 'node:fs';
import type { Polygon } from 'geojson';
import { z } from 'zod';
import { rewindArea } from '../../geo/rewindArea';

const position = z.tuple([z.number(), z.number()]);
const districtFile = z.object({
  type: z.literal('FeatureCollection'),
  features: z
    .array(
      z.object({
        type: z.literal('Feature'),
        properties: z.object({ adcode: z.number(), name: z.string() }).loose(),
        geometry: z.object({
          type: z.literal('Polygon'),
          coordinates: z.array(z.array(position).min(4)).min(1),
        }),
      }),
    )
    .length(1),
});

const unitsFile = z.object({
  source: z.string(),
  note: z.string(),
  towns: z.record(z.string(), z.array(z.string())),
});

function readJson(name: string): unknown {
  return JSON.parse(readFileSync(new URL(`./data/${name}`, import.meta.url), 'utf8'));
}

/** The district: code, name and boundary, rewound counter-clockwise (RFC 7946). */
export interface SourceDistrict {
  code: string;
  name: string;
  geom: Polygon;
}

let districtCache: SourceDistrict | undefined;
let unitsCache: Record<string, string[]> | undefined;

/** The real district boundary from data/chengbei-district.geojson, rewound to counter-clockwise. */
export function loadDistrict(): SourceDistrict {
  if (!districtCache) {
    const fc = districtFile.parse(readJson('chengbei-district.geojson'));
    const f = fc.features[0]!;
    districtCache = {
      code: String(f.properties.adcode),
      name: f.properties.name,
      geom: rewindArea({ type: 'Polygon', coordinates: f.geometry.coordinates }),
    };
  }
  return structuredClone(districtCache);
}

/**
 * Real village/community names per town, from data/chengbei-units.json, without the virtual
 * community of the 生物科技产业园 (it is not a town of its own).
 */
export function loadUnitNames(): Record<string, string[]> {
  if (!unitsCache) {
    const file = unitsFile.parse(readJson('chengbei-units.json'));
    unitsCache = Object.fromEntries(
      Object.entries(file.towns)
        .map(([town, names]) => [town, names.filter((n) => !n.includes('虚拟'))] as const)
        .filter(([, names]) => names.length > 0),
    );
  }
  return structuredClone(unitsCache);
}
