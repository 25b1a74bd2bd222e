/**
 * One map of the change between the two periods: each village/community, or each grid cell at the
 * zoom's resolution, filled on a diverging scale centred on no change, with its own legend. The
 * incident layers give way to it; the rest of the desk's layers stay over it.
 */
import type { Layer } from '@deck.gl/core';
import { useMemo, useState } from 'react';
import { useIncidentColumnsNow } from '../../data/hooks';
import { covers } from '../../data/incidentColumns';
import { LAYER_REGISTRY } from '../../layers/registry';
import type { MapViewProps } from '../../map/MapView';
import { useView } from '../../state/viewStore';
import { css } from '../../theme';
import { OwnMapView } from './OwnMapView';
import { PeriodLabel, type StageView } from './PeriodLabel';
import { categoryMask, cellMetersAt, differenceGrid } from './counts';
import { cellChangeLayer, changeColour, communityChangeLayer, scaleTop } from './differenceLayers';
import { useCompareTexts } from './texts';
import { useCommunityChanges, type ComparedRanges } from './useComparison';

/** The deck.gl layers of the incidents themselves (those that follow the window), and their flash. */
const INCIDENT_LAYERS = new Set([
  ...LAYER_REGISTRY.filter((e) => e.followsWindow).flatMap((e) => e.deckIds),
  'incident-flash',
]);

type By = 'community' | 'cell';

export function DifferenceMap({
  map,
  view,
  ranges,
}: {
  map: MapViewProps;
  view: StageView;
  ranges: ComparedRanges;
}) {
  const [by, setBy] = useState<By>('community');
  const changes = useCommunityChanges(ranges);
  const columns = useIncidentColumnsNow();
  const categories = useView((s) => s.categories);
  const cellMeters = cellMetersAt(view.camera.zoom);
  const cells = useMemo(
    () =>
      // by cell only over periods the loaded columns hold; else by community
      by === 'cell' && columns && covers(columns, ranges.current) && covers(columns, ranges.base)
        ? differenceGrid(columns, ranges.current, ranges.base, categoryMask(categories), cellMeters)
        : null,
    [by, columns, ranges, categories, cellMeters],
  );
  const { fill, top } = useMemo(() => {
    if (cells) {
      const top = scaleTop(cells.reduce((m, c) => Math.max(m, Math.abs(c.change)), 0));
      return { fill: cellChangeLayer(cells, top), top };
    }
    if (!changes) return { fill: null, top: 1 };
    const top = scaleTop(Math.abs(changes.rows[0]?.change ?? 0));
    const byId = new Map(changes.rows.map((r) => [r.id, r.change]));
    return { fill: communityChangeLayer(changes.features, byId, top), top };
  }, [cells, changes]);
  const layers = useMemo(
    () => [
      ...(fill ? [fill] : []),
      ...map.layers.filter((l) => !INCIDENT_LAYERS.has((l as Layer | null)?.id ?? '')),
    ],
    [fill, map.layers],
  );
  return (
    <div className="compare-stage difference" data-testid="compare-stage">
      <OwnMapView {...map} layers={layers} follow={undefined} />
      <div className="compare-corner">
        <PeriodLabel ranges={ranges} which="current" />
        <PeriodLabel ranges={ranges} which="base" className="small" />
        <ChangeLegend top={top} by={by} onBy={setBy} cellMeters={cellMeters} />
      </div>
    </div>
  );
}

/** The diverging scale, from fewer to more, with the choice of communities or cells. */
function ChangeLegend({
  top,
  by,
  onBy,
  cellMeters,
}: {
  top: number;
  by: By;
  onBy(by: By): void;
  cellMeters: number;
}) {
  const t = useCompareTexts();
  const stops = [-1, -0.5, -0.01, 0.01, 0.5, 1].map((k) => css(changeColour(k * top, top)));
  return (
    <div className="change-legend" data-testid="change-legend">
      <h3>{t.differenceTitle}</h3>
      <div
        className="ramp"
        style={{ background: `linear-gradient(to right, ${stops.join(', ')})` }}
      />
      <div className="ticks num">
        <span>−{top}</span>
        <span>0</span>
        <span>+{top}</span>
      </div>
      <div className="ticks">
        <span>{t.fewer}</span>
        <span>{t.more}</span>
      </div>
      <div className="seg" role="group">
        {(['community', 'cell'] as const).map((b) => (
          <button
            key={b}
            type="button"
            className={by === b ? 'on' : ''}
            aria-pressed={by === b}
            onClick={() => onBy(b)}
            data-testid={`change-by-${b}`}
          >
            {b === 'community' ? t.byCommunity : t.cellSize(cellMeters)}
          </button>
        ))}
      </div>
    </div>
  );
}
