/** The parts of shpjs used here (the package ships no types). */
declare module 'shpjs' {
  /** The shapes of a .shp as GeoJSON geometries (null for a null shape), reprojected only when `prj` is given. */
  export function parseShp(shp: ArrayBuffer | ArrayBufferView, prj?: string): unknown[];
}
