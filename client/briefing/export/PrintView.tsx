/**
 * A briefing's print view (`/briefing/<id>/print`): one A4 landscape page per slide with its
 * title, time window, map, legend and speaker notes, the district and the page number. The maps
 * are pictures made slide by slide through exportPng (a printed page never loses a WebGL
 * canvas); the texts stay HTML, so the PDF the browser prints keeps them as selectable Chinese
 * text with its fonts. The page's title names the district, the briefing and its period, which
 * the browser's "save as PDF" takes for the file's name. `body[data-print-ready]` says when every
 * map is in. Each print is audited (exports.record).
 */
import { useMutation, useQuery } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';
import { localDate } from '../../../domain/time';
import { sharedRange, useReference } from '../../data/hooks';
import { useTRPC } from '../../data/trpc';
import { useT } from '../../i18n';
import type { Slide } from '../../../server/briefingInputs';
import { useView } from '../../state/viewStore';
import { CaptureHost, exportPng } from './capture';
import { LegendSections, useDataLine, useDistrictName, windowText } from './ExportSide';
import { fileName, REFERENCE_MAP } from './layout';
import { viewOfSlide } from '../slideView';
import { slidePicture } from './useExportSlide';
import { compareRanges } from '../../../domain/time';
import { changeColour } from '../compare/differenceLayers';
import { useCompareTexts } from '../compare/texts';
import { css } from '../../theme';
import { periodText, useCommunityChanges } from '../compare/useComparison';
import { ChangeRows } from '../compare/ChangeTable';
import { useExportTexts } from './texts';
import './export.css';

/** The map's CSS size on a page, drawn at 2×: 1920 × 1200 pixels, some 250 dpi on the page. */
const PRINT_MAP = { width: 960, height: 600 } as const;

/** The briefing's id in the path, or null. */
export function printedBriefing(path: string): number | null {
  const m = /^\/briefing\/(\d+)\/print\/?$/.exec(path);
  const id = m ? Number(m[1]) : NaN;
  return Number.isSafeInteger(id) && id > 0 ? id : null;
}

export function PrintView() {
  const et = useExportTexts();
  const t = useT();
  const trpc = useTRPC();
  const id = printedBriefing(window.location.pathname);
  const q = useQuery({
    ...trpc.briefings.get.queryOptions({ id: id ?? 0 }),
    enabled: id !== null,
    staleTime: Infinity,
    retry: false,
  });
  const record = useMutation(trpc.exports.record.mutationOptions());
  const lang = useView((s) => s.lang);
  const mode = useView((s) => s.mode);
  const reference = useReference();
  const district = useDistrictName();
  const slides = q.data?.slides;
  const [maps, setMaps] = useState<string[]>([]);
  const [failed, setFailed] = useState<string | null>(null);
  const [loaded, setLoaded] = useState(0);

  // the maps, one slide after another
  useEffect(() => {
    if (!slides) return;
    let cancelled = false;
    const urls: string[] = [];
    void (async () => {
      try {
        for (const s of slides) {
          const png = await exportPng({
            size: '2x',
            ...slidePicture(s, { lang, mode }),
            screen: PRINT_MAP,
            extent: REFERENCE_MAP,
            bare: true,
          });
          if (cancelled) return;
          urls.push(URL.createObjectURL(png.blob));
          setMaps([...urls]);
        }
      } catch (e) {
        if (!cancelled) setFailed(e instanceof Error ? e.message : String(e));
      }
    })();
    return () => {
      cancelled = true;
      for (const u of urls) URL.revokeObjectURL(u);
    };
  }, [slides]);

  // the period the briefing covers: from its earliest window's start to its latest's end
  const period = useMemo(() => {
    if (!slides?.length) return '';
    const ranges = slides.map((s) => sharedRange(s.view.window, reference));
    const from = Math.min(...ranges.map((r) => r.from));
    const to = Math.max(...ranges.map((r) => r.to));
    return `${localDate(from)}至${localDate(to - 1)}`;
  }, [slides, reference]);
  const title = q.data
    ? fileName([district, q.data.title, period], 'pdf').replace(/\.pdf$/, '')
    : '';
  useEffect(() => {
    if (title) document.title = title;
  }, [title]);

  const ready = slides !== undefined && loaded >= slides.length;
  useEffect(() => {
    document.body.dataset.printReady = ready ? 'true' : 'false';
  }, [ready]);

  // one audit row per print (the browser's print dialog, whatever opened it)
  useEffect(() => {
    if (!id || !title) return;
    const onPrint = () => record.mutate({ kind: 'pdf', briefingId: id, fileName: `${title}.pdf` });
    window.addEventListener('beforeprint', onPrint);
    return () => window.removeEventListener('beforeprint', onPrint);
  }, [id, title]);

  const message =
    id === null || q.isError
      ? et.loadFailed(q.error?.message ?? window.location.pathname)
      : failed
        ? et.exportFailed(failed)
        : slides?.length === 0
          ? et.emptyBriefing
          : null;
  return (
    <div className="print-view" data-testid="print-view">
      <div className="print-bar">
        {id !== null && <a href={`/briefing/${id}`}>{et.back}</a>}
        <button onClick={() => window.print()} disabled={!ready} data-testid="print-button">
          {et.print}
        </button>
        <span>
          {!q.data
            ? t.loading
            : ready
              ? `${et.ready(slides!.length)} · ${et.printHint}`
              : et.preparing(maps.length, slides!.length)}
        </span>
      </div>
      {message && (
        <p className="print-message" role="alert">
          {message}
        </p>
      )}
      {slides?.map((s, i) => (
        <PrintPage
          key={i}
          slide={s}
          index={i}
          count={slides.length}
          map={maps[i]}
          district={district}
          period={period}
          onLoad={() => setLoaded((n) => n + 1)}
        />
      ))}
      <CaptureHost />
    </div>
  );
}

/** The communities whose incidents changed most, listed under a compared slide's map. */
const PRINT_CHANGE_ROWS = 10;

function PrintPage(p: {
  slide: Slide;
  index: number;
  count: number;
  map: string | undefined;
  district: string;
  period: string;
  onLoad(): void;
}) {
  const et = useExportTexts();
  const t = useT();
  const reference = useReference();
  const data = useDataLine();
  const { view } = p.slide;
  const ct = useCompareTexts();
  const against = p.slide.comparison?.against;
  const comparison = p.slide.comparison;
  const compared = useMemo(
    () =>
      comparison
        ? { comparison, ...compareRanges(view.window, reference, comparison.against) }
        : null,
    [comparison, view.window, reference],
  );
  const changes = useCommunityChanges(compared, view.categories);
  const layers = useMemo(
    () => viewOfSlide(view, { lang: t.lang, mode: 'print' }).layers,
    [view, t.lang],
  );
  return (
    <section className={`print-page${compared ? ' compared' : ''}`} data-testid="print-page">
      <header className="print-head">
        <h1>{p.slide.title}</h1>
        <div className="print-meta">
          <div>
            {p.district} · {windowText(view.window, sharedRange(view.window, reference), t, et)}
          </div>
          {compared && against && (
            <div data-testid="print-compared">
              {ct.base[against]} {periodText(compared.base)}
            </div>
          )}
          <div>
            {et.period}：{p.period}
          </div>
        </div>
      </header>
      <div className="print-map">
        {p.map ? (
          <img src={p.map} alt={p.slide.title} onLoad={p.onLoad} />
        ) : (
          <span className="print-wait">{et.preparing(p.index, p.count)}</span>
        )}
      </div>
      <aside className="print-aside">
        <LegendSections layers={layers} />
        {p.slide.comparison?.mode === 'difference' && (
          <div className="change-legend" data-testid="print-change-legend">
            <h3>{ct.differenceTitle}</h3>
            <div
              className="ramp"
              style={{
                background: `linear-gradient(to right, ${[-1, -0.3, 0, 0.3, 1].map((k) => css(changeColour(k, 1))).join(', ')})`,
              }}
            />
            <div className="ticks">
              <span>{ct.fewer}</span>
              <span>{ct.more}</span>
            </div>
          </div>
        )}
        {compared && changes && (
          <div className="print-changes" data-testid="print-changes">
            <h2>
              {ct.tableTitle} · {ct.against[compared.comparison.against]}
            </h2>
            <ChangeRows
              changes={changes}
              against={compared.comparison.against}
              limit={PRINT_CHANGE_ROWS}
            />
          </div>
        )}
        <p className="print-foot">{data}</p>
        <p className="print-foot">{et.page(p.index + 1, p.count)}</p>
      </aside>
      <div className="print-notes">
        <h2>{et.notes}</h2>
        {p.slide.notes || et.noNotes}
      </div>
    </section>
  );
}
