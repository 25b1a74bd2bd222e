/**
 * How far, in a straight line, a unit gets in `minutes` at `speedKmh` when roads add a detour
 * factor (circuity) to the straight-line distance. With no road network this is the "135"
 * reach estimate; a road graph can replace it later behind the same question.
 *
 * @example
 *   reachRadiusMeters(3, 40, 1.35); // ≈ 1481 m: 3 minutes at 40 km/h over roads 1.35× longer
 */
export function reachRadiusMeters(minutes: number, speedKmh: number, detour: number): number {
  if (!Number.isFinite(minutes) || minutes < 0)
    throw new Error(`minutes must be ≥ 0, got ${minutes}`);
  if (!Number.isFinite(speedKmh) || speedKmh <= 0)
    throw new Error(`speedKmh must be > 0, got ${speedKmh}`);
  if (!Number.isFinite(detour) || detour < 1) throw new Error(`detour must be ≥ 1, got ${detour}`);
  return (speedKmh * 1000 * (minutes / 60)) / detour;
}
