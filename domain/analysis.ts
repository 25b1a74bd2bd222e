/**
 * The hot-spot analysis (Getis-Ord Gi*) setting: one definition for the map's hot-spot layer,
 * the analysis panel and its method sentence, and the plan's "hot cells covered", so that the
 * cells counted are the cells drawn.
 */
export const HOTSPOT = {
  /** grid cell size, metres */
  cellMeters: 200,
  /**
   * Distance band, metres: 2.5 cells, between the ring of neighbours at √5 cells (447 m) and the
   * next at √8 cells (566 m), more than 50 m from either. A band that is a multiple of the cell
   * size (400 m = 2 cells) puts whole rings of neighbours exactly on its edge, where a rounding
   * of the band's length moves them in or out and with them a fifth of the hot cells.
   */
  bandMeters: 500,
  /** significance after the false-discovery-rate correction */
  fdr: true,
} as const;

export type HotspotSetting = typeof HOTSPOT;
