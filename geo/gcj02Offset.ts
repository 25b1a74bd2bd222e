/**
 * The GCJ-02 ("Mars") shift at a place: how far, in degrees, GCJ-02 coordinates sit from WGS84
 * there. Across Chengbei the shift varies by under 20 m, so one offset taken at the district's
 * centre lines WGS84 data up with GCJ-02 map tiles (AMap, Tencent) well enough for display.
 *
 * @example
 *   gcj02Offset([101.683, 36.694]); // ≈ [0.0019, -0.00008] (about 170 m east, 9 m south)
 */
import gcoord from 'gcoord';

export function gcj02Offset(at: [number, number]): [number, number] {
  const [lon, lat] = at;
  if (!Number.isFinite(lon) || lon < -180 || lon > 180)
    throw new Error(`at[0] must be a longitude, got ${lon}`);
  if (!Number.isFinite(lat) || lat < -90 || lat > 90)
    throw new Error(`at[1] must be a latitude, got ${lat}`);
  const [gLon, gLat] = gcoord.transform([lon, lat], gcoord.WGS84, gcoord.GCJ02) as [number, number];
  return [gLon - lon, gLat - lat];
}
