/** Two zone outlines drawn over each other for the conflict dialog. */
import type { Area } from './draft';
import type { PlanTexts } from './texts';

/** Positions of `a`'s rings that are not in `b`'s. */
function only(a: number[][][], b: number[][][]) {
  const seen = new Set(b.flat().map((p) => `${p[0]!.toFixed(6)},${p[1]!.toFixed(6)}`));
  return a.flat().filter((p) => !seen.has(`${p[0]!.toFixed(6)},${p[1]!.toFixed(6)}`));
}

/** Both outlines in one small drawing, on the same scale, with the vertices that differ marked. */
export function Outline({ theirs, mine, t }: { theirs?: Area; mine: Area; t: PlanTexts }) {
  const rings = (g: Area | undefined) =>
    !g ? [] : g.type === 'Polygon' ? [g.coordinates[0]!] : g.coordinates.map((p) => p[0]!);
  const all = [...rings(theirs), ...rings(mine)].flat();
  const xs = all.map((p) => p[0]!);
  const ys = all.map((p) => p[1]!);
  const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const k = Math.cos((((y0 + y1) / 2) * Math.PI) / 180);
  const w = (x1 - x0) * k || 1e-6;
  const h = y1 - y0 || 1e-6;
  const s = 180 / Math.max(w, h);
  const path = (g: Area | undefined) =>
    rings(g)
      .map(
        (r) =>
          'M' +
          r
            .map(
              ([x, y]) =>
                `${(10 + (x! - x0) * k * s).toFixed(1)},${(10 + (y1 - y!) * s).toFixed(1)}`,
            )
            .join('L') +
          'Z',
      )
      .join('');
  return (
    <figure className="plan-outline">
      <svg viewBox={`0 0 ${w * s + 20} ${h * s + 20}`} width="200" height="200">
        <path d={path(theirs)} className="theirs" />
        <path d={path(mine)} className="mine" />
        {/* the vertices one has and the other has not: where the two differ */}
        {[
          ...only(rings(mine), rings(theirs)).map((p) => ['mine', p] as const),
          ...only(rings(theirs), rings(mine)).map((p) => ['theirs', p] as const),
        ].map(([cls, [x, y]], i) => (
          <circle
            key={i}
            className={cls}
            cx={10 + (x! - x0) * k * s}
            cy={10 + (y1 - y!) * s}
            r={(Math.max(w, h) * s) / 40}
          />
        ))}
      </svg>
      <figcaption>
        <span className="theirs">━ {t.theirs}</span> <span className="mine">┅ {t.mine}</span>
      </figcaption>
    </figure>
  );
}
