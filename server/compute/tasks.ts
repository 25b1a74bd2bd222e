/** What the compute pool's workers run: CPU-heavy, pure functions of their (cloned) input. */
export { checkGeometry } from './geometryChecks';

/** Spins for `ms` milliseconds (tests use it to hold a worker past the deadline). */
export function spin(input: { ms: number }): number {
  const end = Date.now() + input.ms;
  let n = 0;
  while (Date.now() < end) n++;
  return n;
}

/** Allocates memory until the worker's heap limit stops it (tests use it). */
export function exhaustMemory(): number {
  const keep: number[][] = [];
  for (;;) keep.push(Array.from({ length: 1_000_000 }, (_, i) => i + 0.5));
}
export { gistarCells } from './gistarCells';
export { whatIf } from './whatIf';
export { coveringSearch } from './coveringSearch';
