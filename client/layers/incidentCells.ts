/**
 * The heat of a window too large to load as points (domain/incidentLoad.ts POINT_WINDOW_MAX),
 * drawn from the server's cells at the zoom's resolution (incidents.cells): each cell's centre
 * weighs its count. It takes the heat's place under an id of its own: deck.gl keeps a layer's
 * state (its attributes) across layers of one id, and the columns' heat has attributes this one
 * has no accessors for.
 */
import { HeatmapLayer } from '@deck.gl/aggregation-layers';
import type { IncidentCells } from '../../server/services/incidentCells';
import { HEAT_LOOK } from './incidents';

/** deck.gl binary data for the cells, built once per answer. */
const cellData = new WeakMap<IncidentCells, object>();
function dataOf(cells: IncidentCells) {
  let d = cellData.get(cells);
  if (!d) {
    const n = cells.count.length;
    const positions = new Float32Array(2 * n);
    for (let k = 0; k < n; k++) {
      positions[2 * k] = cells.lon[k]!;
      positions[2 * k + 1] = cells.lat[k]!;
    }
    d = {
      length: n,
      attributes: {
        getPosition: { value: positions, size: 2 },
        getWeight: { value: Float32Array.from(cells.count), size: 1 },
      },
    };
    cellData.set(cells, d);
  }
  return d;
}

export function incidentCellsLayer(
  cells: IncidentCells,
  opts: { opacity: number; visible: boolean },
) {
  return new HeatmapLayer({
    id: 'incident-heat-cells',
    data: dataOf(cells) as never,
    visible: opts.visible,
    opacity: opts.opacity,
    ...HEAT_LOOK,
  } as never);
}
