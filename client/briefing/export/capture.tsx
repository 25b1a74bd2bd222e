/**
 * Pictures of the map (exportPng): the view is drawn again by its own map in a hidden container
 * at the picture's size and pixel ratio (MapLibre's `pixelRatio`, which deck.gl follows), with
 * the same layers the desk makes for it (useMapLayers); once every query has answered and the
 * map is idle, its canvas is read in a frame just drawn and composed on a 2D canvas with the
 * panel beside it (ExportSide, painted by paintDom). Nothing is fetched beyond our server.
 *
 * The layers follow the view in the store (its window above all), so a picture of another view
 * (a slide) puts that view in the store while it is drawn and the previous one back after.
 * <CaptureHost /> must be mounted for pictures to be made; they are made one at a time.
 */
import { useIsFetching } from '@tanstack/react-query';
import type maplibregl from 'maplibre-gl';
import { useEffect, useMemo, useRef, useState } from 'react';
import { createPortal } from 'react-dom';
import { create } from 'zustand';
import { useShallow } from 'zustand/react/shallow';
import type { PngSize } from '../../../domain/mapExport';
import {
  useBasemap,
  useHealth,
  useIncidentColumns,
  useIncidentPointsAllowed,
  useRegions,
  useWindowRange,
} from '../../data/hooks';
import { fitExtent, type Extent } from '../../../geo/viewExtent';
import { annotationLayers } from '../annotations/layers';
import { useAnnotations, type Annotation } from '../annotations/store';
import { useT } from '../../i18n';
import { MapView } from '../../map/MapView';
import { useMapLayers } from '../../map/useMapLayers';
import type { View } from '../../state/view';
import { useView, viewOf } from '../../state/viewStore';
import { drawNorth, drawScale, ExportSide, windowText } from './ExportSide';
import { exportPlan, SIDE_PX, type ExportPlan, type Size } from './layout';
import { paintDom } from './paintDom';
import './export.css';
import { useExportTexts } from './texts';
import { RangeMap } from '../compare/CompareStage';
import { DifferenceMap } from '../compare/DifferenceMap';
import { useCompareTexts } from '../compare/texts';
import { periodText, useComparedRanges } from '../compare/useComparison';

export interface ExportRequest {
  size: PngSize;
  /** the picture's title (a slide's, or the desk's) */
  title: string;
  /** the view to draw (a slide's); the desk's, in the store, when absent */
  view?: View;
  /** draw on no basemap (a slide saved with the plain ground) */
  noBasemap?: boolean;
  /** the map's CSS size on screen (1× has its pixels); REFERENCE_MAP when absent */
  screen?: Size;
  /** the size of the map whose extent the picture keeps (a slide's: REFERENCE_MAP); `screen` */
  extent?: Size;
  /** the drawings on the map (a slide's); the desk's, in their store, when `view` is absent */
  annotations?: Annotation[];
  /** the area to show (a slide's saved extent), fitted to the picture; else the view's camera */
  area?: Extent;
  /**
   * the map alone, with the scale bar and the north arrow in a corner, no panel beside it
   * (the print view sets its texts and legend as HTML)
   */
  bare?: boolean;
}

export interface ExportedPng {
  blob: Blob;
  width: number;
  height: number;
  /** where the map is in the picture, in its pixels */
  map: { x: number; y: number; width: number; height: number };
}

interface Job extends ExportRequest {
  id: number;
  resolve(p: ExportedPng): void;
  reject(e: unknown): void;
}

const useJobs = create<{ queue: Job[] }>()(() => ({ queue: [] }));
let jobs = 0;

/** Makes a picture of a view (see the module's comment); needs a mounted <CaptureHost />. */
export function exportPng(req: ExportRequest): Promise<ExportedPng> {
  return new Promise((resolve, reject) =>
    useJobs.setState((s) => ({ queue: [...s.queue, { ...req, id: ++jobs, resolve, reject }] })),
  );
}

/** Draws the pictures asked for, one at a time, out of sight. */
export function CaptureHost() {
  const job = useJobs((s) => s.queue[0]);
  useEffect(
    () => () => {
      // pictures asked for of a host that goes are refused, not left waiting
      for (const j of useJobs.getState().queue) j.reject(new Error('the page closed the export'));
      useJobs.setState({ queue: [] });
    },
    [],
  );
  if (!job) return null;
  const finish = () => useJobs.setState((s) => ({ queue: s.queue.slice(1) }));
  return createPortal(
    <CaptureJob
      key={job.id}
      job={job}
      done={(png, err) => {
        finish();
        if (png) job.resolve(png);
        else job.reject(err);
      }}
    />,
    document.body,
  );
}

/** Resolves on the map's event, or after `ms` in any case. */
const onceOr = (map: maplibregl.Map, event: 'idle' | 'render', ms: number) =>
  new Promise<void>((res) => {
    const timer = setTimeout(res, ms);
    map.once(event, () => {
      clearTimeout(timer);
      res();
    });
  });

/**
 * The map's picture once it is complete: idle (every tile and resource in, deck.gl's late ones
 * such as the label atlas asking for frames of their own), then read in the task of a frame just
 * drawn, before the browser presents and clears it.
 */
async function snapshot(map: maplibregl.Map): Promise<HTMLCanvasElement> {
  const idle = onceOr(map, 'idle', 20_000);
  map.triggerRepaint();
  await idle;
  await new Promise((r) => setTimeout(r, 50));
  return new Promise((resolve) => {
    map.once('render', () => {
      const src = map.getCanvas();
      const out = document.createElement('canvas');
      out.width = src.width;
      out.height = src.height;
      out.getContext('2d')!.drawImage(src, 0, 0);
      resolve(out);
    });
    map.triggerRepaint();
  });
}

const GROUND = '#111a2c';

/** Two maps' pictures side by side in one, each with its period's name over it. */
function sideBySide(
  shots: [HTMLCanvasElement, HTMLCanvasElement],
  labels: [string, string],
  pr: number,
): HTMLCanvasElement {
  const out = document.createElement('canvas');
  out.width = shots[0].width + shots[1].width;
  out.height = Math.max(shots[0].height, shots[1].height);
  const ctx = out.getContext('2d')!;
  let x = 0;
  for (const [k, shot] of shots.entries()) {
    ctx.drawImage(shot, x, 0);
    ctx.font = `600 ${18 * pr}px "Noto Sans CJK SC", sans-serif`;
    const w = ctx.measureText(labels[k]!).width;
    ctx.fillStyle = 'rgba(17, 26, 44, 0.9)';
    ctx.fillRect(x + 10 * pr, 10 * pr, w + 20 * pr, 32 * pr);
    ctx.fillStyle = '#e8eef8';
    ctx.textBaseline = 'middle';
    ctx.fillText(labels[k]!, x + 20 * pr, 26 * pr);
    x += shot.width;
  }
  // the line between the two
  ctx.fillStyle = '#e8eef8';
  ctx.fillRect(shots[0].width - pr, 0, 2 * pr, out.height);
  return out;
}

async function compose(
  shot: HTMLCanvasElement,
  side: HTMLElement | null,
  plan: ExportPlan,
  at: { lat: number; zoom: number },
  north: string,
  metres: (m: number) => string,
): Promise<ExportedPng> {
  const pr = plan.pixelRatio;
  const map = { x: 0, y: 0, width: plan.map.width * pr, height: plan.map.height * pr };
  const canvas = document.createElement('canvas');
  canvas.width = side ? plan.image.width : map.width;
  canvas.height = plan.image.height;
  const ctx = canvas.getContext('2d')!;
  ctx.fillStyle = GROUND;
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.drawImage(shot, 0, 0, map.width, map.height);
  if (side) {
    ctx.save();
    ctx.translate(map.width, 0);
    await paintDom(ctx, side, pr, (c, el, box) => {
      const mark = el.dataset.paint;
      if (!mark) return false;
      const o = side.getBoundingClientRect();
      const x = (box.left - o.left) * pr;
      const y = (box.top - o.top) * pr;
      if (mark === 'north') drawNorth(c, x, y, box.height * pr, north);
      else drawScale(c, x, y, at, box.width, pr, metres);
      return true;
    });
    ctx.restore();
  } else {
    // the map alone: the north arrow and the scale bar on a dark plate in its lower left corner
    const s = pr;
    ctx.fillStyle = 'rgba(17, 26, 44, 0.8)';
    ctx.fillRect(8 * s, map.height - 64 * s, 220 * s, 56 * s);
    drawNorth(ctx, 16 * s, map.height - 60 * s, 48 * s, north);
    drawScale(ctx, 76 * s, map.height - 52 * s, at, 140, s, metres);
  }
  const blob = await new Promise<Blob>((res, rej) =>
    canvas.toBlob(
      (b) => (b ? res(b) : rej(new Error('the picture could not be encoded'))),
      'image/png',
    ),
  );
  return { blob, width: canvas.width, height: canvas.height, map };
}

function CaptureJob({
  job,
  done,
}: {
  job: Job;
  done: (png: ExportedPng | null, err?: unknown) => void;
}) {
  // the test hook of the desk's map stays the desk's
  const deskMap = useRef((window as unknown as { __map?: unknown }).__map);
  // a slide's view is put in the store while it is drawn
  const [swapped, setSwapped] = useState(!job.view);
  useEffect(() => {
    if (!job.view) return;
    const before = viewOf(useView.getState());
    useView.getState().replace({ ...job.view, mode: before.mode });
    setSwapped(true);
    return () => useView.getState().replace(before);
  }, [job.view]);
  useEffect(
    () => () => {
      (window as unknown as { __map?: unknown }).__map = deskMap.current;
    },
    [],
  );
  return swapped ? <CaptureMap job={job} done={done} /> : null;
}

function CaptureMap({
  job,
  done,
}: {
  job: Job;
  done: (png: ExportedPng | null, err?: unknown) => void;
}) {
  const t = useT();
  const et = useExportTexts();
  const view = useView(useShallow(viewOf));
  const range = useWindowRange();
  const { layers: viewLayers, follow } = useMapLayers(view);
  const deskNotes = useAnnotations((st) => st.annotations);
  const notes = job.annotations ?? (job.view ? [] : deskNotes);
  const layers = useMemo(
    () => (notes.length ? [...viewLayers, ...annotationLayers(notes)] : viewLayers),
    [viewLayers, notes],
  );
  const configured = useBasemap();
  const basemap = job.noBasemap ? { kind: 'none' as const } : configured;
  const allowed = useIncidentPointsAllowed();
  const columns = useIncidentColumns();
  const regions = useRegions();
  const health = useHealth();
  const fetching = useIsFetching();
  const [map, setMap] = useState<maplibregl.Map | null>(null);
  // a comparison of periods side by side (split, or a swipe, which a picture cannot move): the
  // compared period's map on the left, drawn for its own range
  const ranges = useComparedRanges();
  const twoMaps = ranges !== null && ranges.comparison.mode !== 'difference';
  const [baseMap, setBaseMap] = useState<maplibregl.Map | null>(null);
  const ct = useCompareTexts();
  const side = useRef<HTMLDivElement>(null);
  const [plan] = useState(() => exportPlan(job.size, job.screen, job.extent));
  // the zoom that decides which layers show stays the view's; the camera's fits the picture
  const camera = job.area
    ? fitExtent(job.area, { width: plan.map.width, height: plan.map.height })
    : { ...view.camera, zoom: view.camera.zoom + plan.zoomDelta };
  // each of two maps side by side has half the picture's map, the area fitted to that half
  const half = Math.floor(plan.map.width / 2);
  const halfCamera = job.area
    ? fitExtent(job.area, { width: half, height: plan.map.height })
    : { ...camera, zoom: camera.zoom - 1 };
  const shownCamera = twoMaps ? halfCamera : camera;
  const ready =
    map !== null &&
    (!twoMaps || baseMap !== null) &&
    (Boolean(columns.data) || !allowed) &&
    Boolean(regions.district && regions.towns && regions.communities && health.data) &&
    fetching === 0;
  const doneRef = useRef(done);
  doneRef.current = done;
  useEffect(() => {
    if (!ready || !map) return;
    let cancelled = false;
    void (async () => {
      try {
        let shot = await snapshot(map);
        if (twoMaps && baseMap && ranges) {
          const base = await snapshot(baseMap);
          shot = sideBySide(
            [base, shot],
            [
              `${ct.base[ranges.comparison.against]} ${periodText(ranges.base)}`,
              `${ct.current} ${periodText(ranges.current)}`,
            ],
            plan.pixelRatio,
          );
        }
        if (cancelled) return;
        const png = await compose(
          shot,
          job.bare ? null : side.current,
          plan,
          { lat: shownCamera.lat, zoom: shownCamera.zoom },
          et.north,
          et.metres,
        );
        if (!cancelled) doneRef.current(png);
      } catch (err) {
        if (!cancelled) doneRef.current(null, err);
      }
    })();
    return () => {
      cancelled = true;
    };
    // once ready: what the picture needs is all in place
  }, [ready, map, baseMap]);

  const hidden = { position: 'fixed', left: -40_000, top: 0 } as const;
  const mapProps = {
    basemap: basemap ?? { kind: 'none' as const },
    layers,
    camera: shownCamera,
    interactive: false,
    pixelRatio: plan.pixelRatio,
    follow,
    onMap: setMap,
  };
  return (
    <>
      {twoMaps && (
        <div
          style={{ ...hidden, top: -plan.map.height - 10, width: half, height: plan.map.height }}
          aria-hidden
        >
          {basemap && (
            <RangeMap
              view={view}
              range={ranges.base}
              basemap={basemap}
              camera={halfCamera}
              interactive={false}
              pixelRatio={plan.pixelRatio}
              onMap={setBaseMap}
            />
          )}
        </div>
      )}
      <div
        style={{ ...hidden, width: twoMaps ? half : plan.map.width, height: plan.map.height }}
        aria-hidden
      >
        {basemap &&
          (ranges?.comparison.mode === 'difference' ? (
            <DifferenceMap map={mapProps} view={view} ranges={ranges} />
          ) : (
            <MapView {...mapProps} />
          ))}
      </div>
      {!job.bare && (
        <div style={{ ...hidden, top: plan.map.height + 10 }} aria-hidden>
          <ExportSide
            ref={side}
            title={job.title}
            window={
              windowText(view.window, range, t, et) +
              (ranges ? ` · ${ct.base[ranges.comparison.against]} ${periodText(ranges.base)}` : '')
            }
            layers={view.layers}
            width={SIDE_PX}
            height={plan.map.height}
          />
        </div>
      )}
    </>
  );
}
