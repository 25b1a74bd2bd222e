/**
 * The input schemas of briefings: a slide's view is the state the desk keeps in its URL
 * (client/state/view.ts: camera, layers, time window, categories, selection, panel, red/black
 * list period) plus the basemap; its drawings are GeoJSON geometries in WGS84. Everything is
 * bounded (domain/briefing.ts BRIEFING_LIMITS); what a schema cannot see (the size of the whole)
 * the service checks.
 */
import { z } from 'zod';
import {
  BRIEFING_LIMITS as L,
  COMPARE_AGAINST,
  COMPARE_MODES,
  SLIDE_BASEMAPS,
  SLIDE_PANELS,
} from '../domain/briefing';
import { MAP_LAYERS, type MapLayer } from '../domain/layers';
import { DAY_MS, localMidnight, PERIODS, PRESETS } from '../domain/time';
import { category, id } from './inputs';

/** A real calendar date written YYYY-MM-DD (not 2026-02-30). */
const date = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD')
  .refine((s) => new Date(`${s}T00:00:00Z`).toISOString().slice(0, 10) === s, {
    message: 'is not a real date',
  });

/** A preset relative to the data's end, or fixed local dates [from, to) (domain/time.ts). */
export const timeWindow = z.union(
  [
    z.object({ preset: z.enum(PRESETS) }),
    z.object({ from: date, to: date }).superRefine((w, ctx) => {
      if (w.to <= w.from)
        ctx.addIssue({ code: 'custom', path: ['to'], message: 'must be after from' });
      else if ((localMidnight(w.to) - localMidnight(w.from)) / DAY_MS > L.windowDays)
        ctx.addIssue({
          code: 'custom',
          path: ['to'],
          message: `the window may span at most ${L.windowDays} days`,
        });
    }),
  ],
  { error: `must be { preset } (${PRESETS.join(', ')}) or { from, to } (dates YYYY-MM-DD)` },
);

const layerState = z.object({
  on: z.boolean(),
  /** 0..1; absent: the layer's own default */
  opacity: z.number().min(0).max(1).optional(),
});

/** The map's layers by id; a layer not named is off. */
const layers = z
  .object(
    Object.fromEntries(MAP_LAYERS.map((l) => [l, layerState.optional()])) as Record<
      MapLayer,
      z.ZodOptional<typeof layerState>
    >,
  )
  .strict();

const lon = z.number().min(-180).max(180);
const lat = z.number().min(-85).max(85);

/**
 * [west, south, east, north]: the area a slide shows, so that it shows the same area on a screen
 * of any size (saved with client/map/MapView.tsx visibleExtent, shown with MapView's `bounds`).
 */
export const extent = z.tuple([lon, lat, lon, lat]).superRefine(([w, s, e, n], ctx) => {
  if (e <= w) ctx.addIssue({ code: 'custom', path: [2], message: 'east must be east of west' });
  if (n <= s) ctx.addIssue({ code: 'custom', path: [3], message: 'north must be north of south' });
});

export const slideView = z.object({
  camera: z.object({ lon, lat, zoom: z.number().min(0).max(22) }),
  /** the area shown, fitted to the size it is shown at (absent: the camera, as it is) */
  extent: extent.optional(),
  layers,
  window: timeWindow,
  /** empty: every category */
  categories: z
    .array(category)
    .max(L.categories)
    .refine((c) => new Set(c).size === c.length, { message: 'lists a category twice' })
    .default([]),
  communityId: id.nullable().default(null),
  incidentId: id.nullable().default(null),
  panel: z.enum(SLIDE_PANELS).default('kpi'),
  rankPeriod: z.enum(PERIODS).default('month'),
  rankToDate: z.boolean().default(false),
  basemap: z.enum(SLIDE_BASEMAPS).default('configured'),
});

const position = z.tuple([z.number().min(-180).max(180), z.number().min(-90).max(90)]);
const vertices = (min: number) =>
  z
    .array(position)
    .min(min, `needs at least ${min} vertices`)
    .max(L.annotationVertices, `at most ${L.annotationVertices} vertices`);
const point = z.object({ type: z.literal('Point'), coordinates: position });
const line = z.object({ type: z.literal('LineString'), coordinates: vertices(2) });
/** One closed ring: a freehand outline has no holes. */
const polygon = z.object({
  type: z.literal('Polygon'),
  coordinates: z
    .tuple([vertices(4)])
    .refine(([r]) => r.length > 0 && r[0]![0] === r.at(-1)![0] && r[0]![1] === r.at(-1)![1], {
      message: 'the ring must end where it starts',
    }),
});

const text = z.string().trim().max(L.annotationText);

export const annotation = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('text'),
    text: text.min(1, 'a text label needs text'),
    geometry: point,
  }),
  z.object({ kind: z.literal('arrow'), text: text.default(''), geometry: line }),
  z.object({
    kind: z.literal('circle'),
    text: text.default(''),
    geometry: point,
    radiusMeters: z.number().positive().max(L.circleRadius),
  }),
  z.object({
    kind: z.literal('outline'),
    text: text.default(''),
    geometry: z.discriminatedUnion('type', [line, polygon]),
  }),
]);

export const comparison = z.object({
  against: z.enum(COMPARE_AGAINST),
  mode: z.enum(COMPARE_MODES),
});

const title = z.string().trim().max(L.title);

export const slide = z.object({
  title,
  notes: z.string().max(L.notes).default(''),
  view: slideView,
  annotations: z.array(annotation).max(L.annotationsPerSlide).default([]),
  comparison: comparison.nullable().default(null),
});

export const slides = z.array(slide).max(L.slides, `at most ${L.slides} slides`);
export const briefingTitle = title.min(1, 'must not be empty');

/** A calendar month YYYY-MM. */
export const month = z
  .string()
  .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be a month YYYY-MM, such as 2026-11');

export type Slide = z.output<typeof slide>;
export type SlideView = z.output<typeof slideView>;
export type Annotation = z.output<typeof annotation>;
