/**
 * Leaders' briefings (map stories): an ordered list of slides, each a saved view of the desk
 * with a title, speaker notes, drawings on the map and an optional comparison of periods. The
 * vocabulary and the limits, for server and client alike (the server validates against them,
 * the client offers only what they allow).
 */

/** What the desk's right-hand panel shows (client/state/view.ts PANELS). */
export const SLIDE_PANELS = ['kpi', 'rankings', 'analysis', 'plan'] as const;
export type SlidePanel = (typeof SLIDE_PANELS)[number];

/**
 * The map's ground: the configured basemap, or none (the plain dark ground, which keeps the
 * district's own layers alone in view).
 */
export const SLIDE_BASEMAPS = ['configured', 'none'] as const;
export type SlideBasemap = (typeof SLIDE_BASEMAPS)[number];

/**
 * Drawings on a slide's map: a text label (Point), an arrow (LineString, its head at the last
 * vertex), a circle (its centre as a Point, with a radius in metres) or a freehand outline
 * (LineString, or Polygon when closed).
 */
export const ANNOTATION_KINDS = ['text', 'arrow', 'circle', 'outline'] as const;
export type AnnotationKind = (typeof ANNOTATION_KINDS)[number];

/** What a slide's period is set against: the period just before, or the same period a year ago. */
export const COMPARE_AGAINST = ['previous', 'lastYear'] as const;
export type CompareAgainst = (typeof COMPARE_AGAINST)[number];

/** How two periods are shown: side by side, a swipe between them, or their difference. */
export const COMPARE_MODES = ['split', 'swipe', 'difference'] as const;
export type CompareMode = (typeof COMPARE_MODES)[number];

/** Limits of one briefing: each bounds what a save stores and what presenting it costs. */
export const BRIEFING_LIMITS = {
  /** characters of a briefing's or a slide's title */
  title: 120,
  /** characters of a slide's speaker notes */
  notes: 4000,
  slides: 60,
  annotationsPerSlide: 50,
  /** characters of an annotation's text */
  annotationText: 200,
  /** vertices of one annotation's geometry */
  annotationVertices: 2000,
  /** metres: a circle larger than the district is no annotation */
  circleRadius: 50_000,
  /** categories a slide filters by */
  categories: 8,
  /** the whole briefing's slides as stored JSON, in bytes (UTF-8) */
  bytes: 1_000_000,
  /** days a slide's fixed time window may span */
  windowDays: 3700,
} as const;
