/** The desk view: header, layer panel, the map with its legend, indicators, and the timeline. */
import type { PickingInfo } from '@deck.gl/core';
import type maplibregl from 'maplibre-gl';
import { lazy, Suspense, useCallback, useEffect, useMemo, useState } from 'react';
import { useCan } from '../auth/useCan';
import { AnnotationToolbar } from '../briefing/annotations/AnnotationToolbar';
import { annotationLayers } from '../briefing/annotations/layers';
import { useAnnotations } from '../briefing/annotations/store';
import { ExportMenu } from '../briefing/export/ExportMenu';
import { useBasemap, useHealth, useIncidentColumns, useRegions } from '../data/hooks';
import { useLive, useLiveStream } from '../data/live';
import { useT } from '../i18n';
import { entryOfDeckLayer, layerTooltip } from '../layers/registry';
import { setShownMap } from '../map/shownMap';
import { useDistrictFit } from '../map/useDistrictFit';
import type { Extent } from '../../geo/viewExtent';
import { ChangeTable } from '../briefing/compare/ChangeTable';
import { CompareControl } from '../briefing/compare/CompareControl';
import { CompareStage } from '../briefing/compare/CompareStage';
import { useMapLayers } from '../map/useMapLayers';
import { CommunityCard } from '../panels/CommunityCard';
import { IncidentDetails } from '../panels/IncidentDetails';
import { AnalysisPanel } from '../panels/AnalysisPanel';
import { KpiPanel } from '../panels/KpiPanel';
import { LayerPanel } from '../panels/LayerPanel';
import { Legend } from '../panels/Legend';
import { RankingsPanel } from '../panels/RankingsPanel';
import { Timeline } from '../panels/Timeline';
import { PlanDraftDot } from '../plan/PlanDraftDot';
import { usePlanEditor } from '../plan/usePlanEditor';
import { PANELS } from '../state/view';
import { useView } from '../state/viewStore';
import { useShallow } from 'zustand/react/shallow';
import { CategoryFilter, LangSwitch, UserMenu, WindowPicker } from './Header';
import { BriefingTools } from '../briefing/AddSlide';
import { EditBar } from '../briefing/EditBar';
import '../briefing/briefing.css';

// the planning editor's panel loads when the planning tab is first opened
const PlanPanel = lazy(() => import('../plan/PlanPanel').then((m) => ({ default: m.PlanPanel })));

export interface DeskMapProps {
  /** the planning editor is open: the map is its canvas, clicks belong to it */
  editing?: boolean;
  /** community label size in pixels (useMapLayers); larger to be read on a projector */
  labelSize?: number;
  /** seconds of the fly to a camera set from outside (a slide's); 0 jumps */
  flyDuration?: number;
  /** false: no pointer, no controls, no selection by click (presenting a slide) */
  interactive?: boolean;
  /**
   * what the map shows (a presented slide's): an area fitted to the map's size, or 'camera' for
   * the store's camera as it is; unset (the desk), the whole district until the user moves it,
   * unless the link has a camera
   */
  extent?: Extent | 'camera';
}

/**
 * The map and what draws on it, as the view store has it: the desk's, and a briefing's slide
 * being presented (its view put into the store). Its own component: a change of the layers, the
 * categories or the camera renders this without the rest of the desk; a window change renders
 * none of it (the incident layers follow the store, useMapLayers' `follow`).
 */
export function DeskMap({
  editing: planTab = false,
  labelSize,
  flyDuration,
  interactive = true,
  extent,
}: DeskMapProps) {
  const t = useT();
  // a slide's drawing tools take the pointer from the planning editor while they are out
  const annotating = useAnnotations((s) => s.editing);
  const editing = planTab && !annotating;
  const annotations = useAnnotations((s) => s.annotations);
  const selectedNote = useAnnotations((s) => (s.editing ? s.selected : null));
  const view = useView(
    useShallow((s) => ({
      layers: s.layers,
      categories: s.categories,
      communityId: s.communityId,
      incidentId: s.incidentId,
      camera: s.camera,
    })),
  );
  const setCamera = useView((s) => s.setCamera);
  const selectIncident = useView((s) => s.selectIncident);
  const selectCommunity = useView((s) => s.selectCommunity);
  const health = useHealth();
  const basemap = useBasemap();
  const columns = useIncidentColumns();
  const [map, setMap] = useState<maplibregl.Map | null>(null);
  const plan = usePlanEditor(map, editing);
  const { layers: baseLayers, follow } = useMapLayers(view, {
    editing,
    draftZoneLabels: plan.labels,
    labelSize,
  });
  const notes = useMemo(
    // larger on a projector (a slide presented)
    () => annotationLayers(annotations, { selected: selectedNote, scale: interactive ? 1 : 1.6 }),
    [annotations, selectedNote, interactive],
  );
  const layers = useMemo(
    () =>
      plan.layers.length || notes.length ? [...baseLayers, ...plan.layers, ...notes] : baseLayers,
    [baseLayers, plan.layers, notes],
  );
  const regions = useRegions();
  // without a camera in the link, the first view fits the district beside the legend
  const fit = useDistrictFit(regions.district);
  const ready = Boolean(columns.data && regions.communities && regions.district);
  useEffect(() => {
    // a marker for tests and benchmarks: everything the first map needs has arrived
    document.body.dataset.ready = ready ? 'true' : 'false';
  }, [ready]);

  const onClick = useCallback(
    (info: PickingInfo) => {
      // while editing, clicks belong to the editor; a presented slide keeps its selection
      if (editing || annotating || !interactive) return;
      const entry = entryOfDeckLayer(info.layer?.id);
      const actions = { columns: columns.data, selectIncident, selectCommunity };
      if (entry?.click?.(info, actions)) return;
      if (!info.object) selectCommunity(null);
    },
    [columns.data, selectIncident, selectCommunity, editing, annotating, interactive],
  );
  const getTooltip = useCallback((info: PickingInfo) => layerTooltip(info, t), [t]);
  const onMap = useCallback((m: maplibregl.Map | null) => {
    setMap(m);
    setShownMap(m);
  }, []);

  return (
    <div className="map-wrap">
      {basemap && (
        <CompareStage
          view={view}
          basemap={basemap}
          layers={layers}
          camera={view.camera}
          onCameraChange={setCamera}
          onClick={onClick}
          getTooltip={getTooltip}
          onMap={onMap}
          beforeId={plan.beforeId}
          follow={follow}
          {...(extent === undefined
            ? fit.map
            : { bounds: extent === 'camera' ? undefined : extent, keepClear: fit.map.keepClear })}
          flyDuration={flyDuration}
          interactive={interactive}
        />
      )}
      {annotating && map && <AnnotationToolbar map={map} />}
      <Legend map={map} avoid={regions.district} {...fit.legend} />
      {health.isError && (
        <div className="banner" role="alert">
          {t.serverDown}
        </div>
      )}
      {(columns.isLoading || health.isLoading) && <div className="progress">{t.loading}</div>}
      {columns.isError && (
        <div className="banner" role="alert">
          {columns.error.message}
        </div>
      )}
    </div>
  );
}

/** How many incidents have come in since the page opened (less those cancelled since). */
function NewSinceOpen() {
  const t = useT();
  const n = useLive((s) => s.fresh.length);
  if (!n) return null;
  return (
    <span className="live-new" data-testid="live-new" title={t.newSinceOpenTitle}>
      {t.newSinceOpen(n)}
    </span>
  );
}

export function DeskApp() {
  const t = useT();
  // the page's one live stream: plan changes and incidents
  useLiveStream();
  const panel = useView((s) => s.panel);
  const setPanel = useView((s) => s.setPanel);
  // the planning tab, for those who may plan: the map becomes the editor while it is open
  const canPlan = useCan('plan:edit');
  const editing = canPlan && panel === 'plan';
  const panels = PANELS.filter((p) => p !== 'plan' || canPlan);
  const [leftOpen, setLeftOpen] = useState(true);
  const [rightOpen, setRightOpen] = useState(true);

  return (
    <div className="desk">
      <header>
        <h1>{t.appTitle}</h1>
        <WindowPicker />
        <CompareControl />
        <CategoryFilter />
        <span className="spacer" />
        <NewSinceOpen />
        <ExportMenu />
        <LangSwitch />
        <BriefingTools />
        <UserMenu />
      </header>
      <EditBar />
      <aside className={`side left ${leftOpen ? '' : 'collapsed'}`}>
        <button className="collapse" onClick={() => setLeftOpen(!leftOpen)} aria-label={t.layers}>
          {leftOpen ? '◀' : '▶'}
        </button>
        {leftOpen && <LayerPanel />}
      </aside>
      <DeskMap editing={editing} />
      <aside className={`side right ${rightOpen ? '' : 'collapsed'}`}>
        <button className="collapse" onClick={() => setRightOpen(!rightOpen)} aria-label={t.kpi}>
          {rightOpen ? '▶' : '◀'}
        </button>
        {rightOpen && (
          <>
            <nav className="tabs" role="tablist">
              {panels.map((p) => (
                <button
                  key={p}
                  role="tab"
                  aria-selected={panel === p}
                  className={panel === p ? 'on' : ''}
                  onClick={() => setPanel(p)}
                  data-testid={`tab-${p}`}
                >
                  {p === 'kpi'
                    ? t.tabKpi
                    : p === 'rankings'
                      ? t.tabRankings
                      : p === 'analysis'
                        ? t.tabAnalysis
                        : t.tabPlan}
                  {p === 'plan' && <PlanDraftDot />}
                </button>
              ))}
            </nav>
            <IncidentDetails />
            <CommunityCard />
            <ChangeTable />
            {/* a planning link opened by someone who may not plan shows the indicators */}
            {(panel === 'kpi' || (panel === 'plan' && !canPlan)) && <KpiPanel />}
            {panel === 'rankings' && <RankingsPanel />}
            {panel === 'analysis' && <AnalysisPanel />}
            {editing && (
              <Suspense fallback={<div className="empty">{t.loading}</div>}>
                <PlanPanel />
              </Suspense>
            )}
          </>
        )}
      </aside>
      <Timeline />
    </div>
  );
}
