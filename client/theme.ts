/**
 * Colours, one meaning each (see the UI notes): category hues for incidents only, a sequential
 * ramp for heat, 红橙黄蓝 for risk only, gold/grey for the red/black list, one cyan family for
 * the three circles.
 */
import type { IncidentCategory } from '../domain/vocabulary';

export type RGBA = [number, number, number, number];

/** '#rrggbb' and an alpha 0..255 as deck.gl's RGBA */
export const hex = (h: string, a = 255): RGBA => [
  parseInt(h.slice(1, 3), 16),
  parseInt(h.slice(3, 5), 16),
  parseInt(h.slice(5, 7), 16),
  a,
];
export const css = (c: RGBA) => `rgba(${c[0]},${c[1]},${c[2]},${(c[3] / 255).toFixed(3)})`;

/** Paul Tol's muted palette (colour-blind safe), kept clear of the risk colours and the circles' cyan. */
export const CATEGORY_COLOURS: Record<IncidentCategory, RGBA> = {
  criminal: hex('#CC6677'),
  public_order: hex('#AA4499'),
  traffic: hex('#DDCC77'),
  dispute: hex('#999933'),
  assistance: hex('#44AA99'),
  fire: hex('#EE8866'),
  report: hex('#BBCC33'),
  other: hex('#BBBBBB'),
};

/** Heat: transparent → deep violet → magenta → amber → pale yellow (inferno-like). */
export const HEAT_RAMP: [number, number, number][] = [
  [40, 11, 84],
  [101, 21, 110],
  [159, 42, 99],
  [212, 72, 66],
  [245, 125, 21],
  [250, 193, 39],
];

export const RISK_COLOURS = {
  red: hex('#E53935'),
  orange: hex('#FB8C00'),
  yellow: hex('#FDD835'),
  blue: hex('#1E88E5'),
} as const;

export const LIST_COLOURS = { red: hex('#E8C547'), black: hex('#424242') } as const;

export const CIRCLE_STYLE = {
  outer: {
    colour: hex('#B2EBF2'),
    width: 3,
    dash: [8, 5] as [number, number],
    fill: hex('#B2EBF2', 18),
  },
  middle: {
    colour: hex('#4DD0E1'),
    width: 2.5,
    dash: [4, 3] as [number, number],
    fill: hex('#4DD0E1', 30),
  },
  inner: {
    colour: hex('#00ACC1'),
    width: 2,
    dash: [0, 0] as [number, number],
    fill: hex('#00ACC1', 60),
  },
} as const;

export const MAP_COLOURS = {
  ground: '#0b1220',
  district: '#cfd8dc',
  town: '#90a4ae',
  community: '#546e7a',
  communityHover: hex('#ffffff', 40),
  communitySelected: hex('#ffffff', 70),
  label: '#e3eaf0',
  labelHalo: '#0b1220',
  cameraExisting: hex('#9FA8DA'),
  cameraInfill: hex('#E6EE9C'),
  cameraOffline: hex('#616161'),
  zone: hex('#A5D6A7'),
  post: hex('#FFFFFF'),
  car: hex('#81D4FA'),
  patrolRoute: hex('#CE93D8'),
};

/**
 * Change between two periods (from ColorBrewer PuOr, colour-blind safe; neither the heat's ramp
 * nor the risk hues): orange for more incidents, purple for fewer. On the dark ground a larger
 * change is more opaque (changeColour, client/briefing/compare).
 */
export const CHANGE_COLOURS = { more: hex('#f1a340'), fewer: hex('#a99fd6') } as const;
