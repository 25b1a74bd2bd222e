/**
 * What an exported picture shows beside its map (laid out as DOM, then painted by paintDom):
 * the district, the title, the time window, the legend of the layers that are on in the map's
 * colours, a north arrow and a scale bar, the data's source and time. Also the legend of the
 * print view, which stays HTML there.
 */
import { Fragment, forwardRef } from 'react';
import { formatLocal, localDate, type Range, type TimeWindow } from '../../../domain/time';
import { useAllowedLayers } from '../../auth/useCan';
import { useHealth, useRegions } from '../../data/hooks';
import { useT, type Texts } from '../../i18n';
import { LAYER_REGISTRY, type LayerId, type LayerState } from '../../layers/registry';
import { scaleBar } from './layout';
import { useExportTexts, type ExportTexts } from './texts';

/** The legend's sections in order, each shown while one of the layers drawn in it is on. */
export function LegendSections({ layers }: { layers: Record<LayerId, LayerState> }) {
  const t = useT();
  const allowed = useAllowedLayers(layers);
  const on = (id: LayerId) => allowed[id].on;
  const sections = LAYER_REGISTRY.filter(
    (e) => typeof e.legend === 'object' && 'section' in e.legend,
  )
    .map((e) => ({
      entry: e,
      shown:
        on(e.id) ||
        LAYER_REGISTRY.some(
          (m) =>
            typeof m.legend === 'object' &&
            'with' in m.legend &&
            m.legend.with === e.id &&
            on(m.id),
        ),
    }))
    .filter((s) => s.shown)
    .sort((a, b) => order(a.entry) - order(b.entry));
  return (
    <div className="legend" data-testid="export-legend">
      {sections.map(({ entry }) => {
        const legend = entry.legend as {
          section: (p: { t: Texts; on: typeof on }) => React.ReactNode;
        };
        return <Fragment key={entry.id}>{legend.section({ t, on })}</Fragment>;
      })}
    </div>
  );
}

const order = (e: (typeof LAYER_REGISTRY)[number]) =>
  typeof e.legend === 'object' && 'order' in e.legend ? e.legend.order : 0;

/** "近30天 · 2026-11-05 至 2026-12-04", or the fixed window's dates. */
export function windowText(w: TimeWindow, range: Range, t: Texts, et: ExportTexts): string {
  const dates = et.dateRange(localDate(range.from), localDate(range.to - 1));
  return 'preset' in w ? `${t.preset(w.preset)} · ${dates}` : dates;
}

/** The window's short name for a file: the preset's, or its dates. */
export function windowFileText(w: TimeWindow, range: Range, t: Texts): string {
  return 'preset' in w
    ? t.preset(w.preset)
    : `${localDate(range.from)}至${localDate(range.to - 1)}`;
}

/** The district's name as the data has it (城北区). */
export function useDistrictName(): string {
  const district = useRegions().district;
  return district?.features[0]?.properties.name ?? '';
}

/** "数据来源：演示数据 · 数据截至 2026-12-04 18:00" */
export function useDataLine(): string {
  const et = useExportTexts();
  const data = useHealth().data?.data;
  const source =
    data?.name ?? (data?.source ? (et.sources[data.source] ?? data.source) : et.unknownSource);
  const end = data?.end
    ? et.dataUntil(formatLocal(Date.parse(data.end) - 1, 'yyyy-MM-dd HH:mm'))
    : '';
  return [et.source(source), end].filter(Boolean).join(' · ');
}

export interface SideProps {
  title: string;
  window: string;
  layers: Record<LayerId, LayerState>;
  height: number;
  width: number;
}

/** The panel beside the map, at its CSS size. */
export const ExportSide = forwardRef<HTMLDivElement, SideProps>(function ExportSide(p, ref) {
  const et = useExportTexts();
  const district = useDistrictName();
  const data = useDataLine();
  return (
    <div ref={ref} className="export-side" style={{ width: p.width, height: p.height }}>
      <div className="export-district">{district}</div>
      <h1>{p.title}</h1>
      <div className="export-window">{p.window}</div>
      <LegendSections layers={p.layers} />
      <div className="export-marks">
        <span data-paint="north" className="export-north" />
        <span data-paint="scale" className="export-scale" />
      </div>
      <span className="spacer" />
      <div className="export-source">{data}</div>
      <div className="export-made">{et.madeAt(formatLocal(Date.now(), 'yyyy-MM-dd HH:mm'))}</div>
    </div>
  );
});

const INK = '#e6edf3';

/** A north arrow in a `size`-pixel box: a split arrowhead over the letter. */
export function drawNorth(
  ctx: CanvasRenderingContext2D,
  x: number,
  y: number,
  size: number,
  label: string,
) {
  const cx = x + size / 2;
  const top = y + size * 0.04;
  const base = y + size * 0.62;
  ctx.save();
  ctx.lineWidth = Math.max(1, size / 40);
  ctx.strokeStyle = INK;
  ctx.fillStyle = INK;
  ctx.beginPath();
  ctx.moveTo(cx, top);
  ctx.lineTo(cx - size * 0.22, base);
  ctx.lineTo(cx, base - size * 0.12);
  ctx.closePath();
  ctx.fill();
  ctx.beginPath();
  ctx.moveTo(cx, top);
  ctx.lineTo(cx + size * 0.22, base);
  ctx.lineTo(cx, base - size * 0.12);
  ctx.closePath();
  ctx.stroke();
  ctx.font = `600 ${size * 0.3}px 'Noto Sans CJK SC', sans-serif`;
  ctx.textAlign = 'center';
  ctx.textBaseline = 'bottom';
  ctx.fillText(label, cx, y + size);
  ctx.restore();
}

/**
 * A scale bar for the map's centre at `zoom`, at most `maxPx` CSS pixels long, drawn at `scale`
 * canvas pixels per CSS pixel with its label above; returns its width in canvas pixels.
 */
export function drawScale(
  ctx: CanvasRenderingContext2D,
  x: number,
  y: number,
  at: { lat: number; zoom: number },
  maxPx: number,
  scale: number,
  label: (m: number) => string,
): number {
  const bar = scaleBar(at.lat, at.zoom, maxPx);
  const w = bar.px * scale;
  const h = 6 * scale;
  ctx.save();
  ctx.font = `${12 * scale}px 'Noto Sans CJK SC', sans-serif`;
  ctx.fillStyle = INK;
  ctx.textBaseline = 'bottom';
  ctx.fillText(label(bar.metres), x, y + 14 * scale);
  const by = y + 18 * scale;
  // alternating halves, as printed maps draw them
  ctx.fillRect(x, by, w / 2, h);
  ctx.strokeStyle = INK;
  ctx.lineWidth = scale;
  ctx.strokeRect(x + scale / 2, by + scale / 2, w - scale, h - scale);
  ctx.restore();
  return w;
}
