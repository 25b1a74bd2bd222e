/**
 * Approximate arterial roads of 城北区 [G]: hand-drawn polylines inside the district, good
 * enough for demo incidents, cameras, the middle security circle and patrol routes. They are
 * not surveyed: a real deployment imports its own road network.
 */
import type { Position } from 'geojson';

export interface ArterialRoad {
  name: string;
  /** 'highway' roads leave the city; 'urban' ones carry city traffic */
  kind: 'highway' | 'urban';
  /** relative traffic, for weighting incidents and cameras */
  traffic: number;
  coordinates: Position[];
}

export const ARTERIAL_ROADS: readonly ArterialRoad[] = [
  {
    name: '宁张公路',
    kind: 'highway',
    traffic: 1.2,
    coordinates: [
      [101.752, 36.664],
      [101.7525, 36.675],
      [101.752, 36.688],
      [101.7505, 36.703],
      [101.7475, 36.72],
      [101.7485, 36.735],
      [101.7545, 36.748],
      [101.757, 36.7535],
    ],
  },
  {
    name: '宁大高速',
    kind: 'highway',
    traffic: 0.8,
    coordinates: [
      [101.7355, 36.672],
      [101.733, 36.688],
      [101.7315, 36.705],
      [101.7295, 36.725],
      [101.7285, 36.752],
    ],
  },
  {
    name: '柴达木路',
    kind: 'urban',
    traffic: 1,
    coordinates: [
      [101.578, 36.664],
      [101.61, 36.666],
      [101.64, 36.6675],
      [101.665, 36.668],
      [101.69, 36.6675],
      [101.72, 36.6665],
      [101.745, 36.665],
      [101.752, 36.664],
    ],
  },
  {
    name: '小桥大街',
    kind: 'urban',
    traffic: 1.3,
    coordinates: [
      [101.746, 36.6485],
      [101.748, 36.656],
      [101.75, 36.664],
      [101.752, 36.672],
    ],
  },
  {
    name: '祁连路',
    kind: 'urban',
    traffic: 1.4,
    coordinates: [
      [101.695, 36.6585],
      [101.715, 36.6558],
      [101.735, 36.6522],
      [101.755, 36.647],
      [101.775, 36.6412],
      [101.789, 36.6385],
    ],
  },
  {
    name: '朝阳西路',
    kind: 'urban',
    traffic: 1,
    coordinates: [
      [101.7305, 36.6735],
      [101.745, 36.6715],
      [101.757, 36.67],
    ],
  },
  {
    name: '朝阳东路',
    kind: 'urban',
    traffic: 1,
    coordinates: [
      [101.757, 36.67],
      [101.77, 36.668],
      [101.778, 36.6662],
    ],
  },
];

/** The core roads joint armed patrols follow (name, start and end fraction of the road). */
export const JOINT_PATROL_ROUTES: readonly { road: string; from: number; to: number }[] = [
  { road: '小桥大街', from: 0, to: 1 },
  { road: '祁连路', from: 0.15, to: 0.8 },
  { road: '柴达木路', from: 0.62, to: 1 },
];
