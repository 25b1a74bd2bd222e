/**
 * Fixed facts and demo assumptions about places in 城北区. Coordinates are WGS84 [lon, lat];
 * all of them are approximate demo values [G] (see DOMAIN.md), not surveyed positions.
 */
import type { Position } from 'geojson';

export interface TownSpec {
  name: string;
  /** 9-digit statistical code (NBS convention: 街道 001.., 镇 100..) */
  code: string;
  /** approximate centre [G]; kept inside the town's generated cell */
  centre: Position;
  /**
   * Extra Voronoi generators that shape the town (a town is the union of the cells of its
   * centre and these points, clipped to the district).
   */
  shapeSeeds: Position[];
  /** urban 街道 (dense 社区) or peri-urban 镇 */
  urban: boolean;
  /** police station responsible for the town */
  station: string;
  /** short name used in unit and post names */
  short: string;
}

/**
 * The six towns/subdistricts, in the order of chengbei-units.json (their ids are 1..6).
 * 火车西站's centre from DOMAIN.md (101.690, 36.652) lies just outside the simplified
 * boundary, so it is moved 900 m north.
 */
export const TOWN_SPECS: readonly TownSpec[] = [
  {
    name: '朝阳街道',
    code: '630105001',
    centre: [101.757, 36.668],
    shapeSeeds: [
      [101.774, 36.671],
      [101.79, 36.664],
      [101.764, 36.681],
    ],
    urban: true,
    station: '朝阳派出所',
    short: '朝阳',
  },
  {
    name: '小桥大街街道',
    code: '630105002',
    centre: [101.752, 36.652],
    shapeSeeds: [
      [101.769, 36.644],
      [101.741, 36.651],
    ],
    urban: true,
    station: '小桥派出所',
    short: '小桥',
  },
  {
    name: '马坊街道',
    code: '630105003',
    centre: [101.72, 36.66],
    shapeSeeds: [
      [101.724, 36.674],
      [101.713, 36.687],
    ],
    urban: true,
    station: '马坊派出所',
    short: '马坊',
  },
  {
    name: '火车西站街道',
    code: '630105004',
    centre: [101.69, 36.66],
    shapeSeeds: [
      [101.689, 36.675],
      [101.694, 36.689],
    ],
    urban: true,
    station: '火车西站派出所',
    short: '西站',
  },
  {
    name: '大堡子镇',
    code: '630105100',
    centre: [101.625, 36.668],
    shapeSeeds: [
      [101.59, 36.7],
      [101.6, 36.66],
      [101.652, 36.688],
      [101.662, 36.664],
    ],
    urban: false,
    station: '大堡子派出所',
    short: '大堡子',
  },
  {
    name: '廿里铺镇',
    code: '630105101',
    centre: [101.75, 36.715],
    shapeSeeds: [
      [101.755, 36.742],
      [101.767, 36.7],
      [101.745, 36.696],
      [101.732, 36.703],
    ],
    urban: false,
    station: '廿里铺派出所',
    short: '廿里铺',
  },
];

/** Centre of the urban core (south-east), where density of people and incidents peaks. */
export const URBAN_CORE: Position = [101.752, 36.658];

/**
 * Communities whose cells grow from a known place [G]: 西海路社区 holds the 豹街·西海路 food
 * street, 火车西站社区 the station forecourt. (Each town's first 社区 holds the town centre.)
 */
export const PINNED_COMMUNITIES: Readonly<Record<string, Position>> = {
  西海路社区: [101.7348, 36.6552],
  火车西站社区: [101.6955, 36.6585],
};

/** Where each growth town is building new housing: synthetic communities go near here. */
export const GROWTH_CENTRES: Readonly<Record<string, Position>> = {
  马坊街道: [101.716, 36.68],
  火车西站街道: [101.69, 36.681],
  廿里铺镇: [101.753, 36.712],
};

/** The synthetic growth-area communities per town (names are invented). */
export const SYNTHETIC_COMMUNITIES: Readonly<Record<string, readonly string[]>> = {
  马坊街道: ['杏园新苑社区', '馨乐家园社区', '光华里社区'],
  火车西站街道: ['西站新苑社区', '湟畔家园社区', '站北社区'],
  廿里铺镇: ['生物园新苑社区', '北川家园社区', '高新家园社区', '泉湾新苑社区'],
};

/** A place where incidents cluster. */
export interface HotSpot {
  name: string;
  centre: Position;
  /** spread (standard deviation) in metres */
  sigmaM: number;
  /** relative weight among the persistent hot spots */
  weight: number;
}

/**
 * Persistent hot spots [G]. The station forecourt is placed just inside the simplified
 * boundary (DOMAIN.md gives about 101.695, 36.650, which falls 400 m outside it).
 */
export const PERSISTENT_HOT_SPOTS: readonly HotSpot[] = [
  { name: '火车西站站前广场', centre: [101.695, 36.6575], sigmaM: 220, weight: 1.2 },
  { name: '小桥综合市场', centre: [101.7485, 36.6605], sigmaM: 160, weight: 1 },
  { name: '朝阳商业街', centre: [101.7585, 36.6695], sigmaM: 180, weight: 0.7 },
];

/** 豹街·西海路美食街: the night food street (694 m), opened 2024-05-01 [V]; line [G]. */
export const NIGHT_MARKET = {
  name: '豹街·西海路美食街',
  line: [
    [101.7309, 36.6553],
    [101.73868, 36.6551],
  ] as Position[],
  opened: '2024-05-01',
  /** months (1..12) with the evening peak */
  months: [5, 6, 7, 8, 9, 10],
  /** local hours of the peak: 18:00 to 02:00 */
  fromHour: 18,
  toHour: 2,
} as const;

/** Synthetic growth-area communities whose incidents rise over the last months. */
export const EMERGING_HOT_SPOT_COMMUNITIES: readonly string[] = ['生物园新苑社区', '西站新苑社区'];
