/**
 * Map icons as inline SVG (no network): white shapes that deck.gl tints (mask mode), so colour
 * carries status or batch and the shape carries the kind.
 */
const svg = (body: string) =>
  `data:image/svg+xml;charset=utf-8,${encodeURIComponent(
    `<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64" viewBox="0 0 64 64">${body}</svg>`,
  )}`;

const CROSS =
  '<path d="M14 14 L50 50 M50 14 L14 50" stroke="white" stroke-width="7" stroke-linecap="round"/>';

const SHAPES = {
  /** bullet camera: a rounded body with a lens */
  bullet:
    '<rect x="6" y="20" width="40" height="24" rx="5" fill="white"/><rect x="46" y="26" width="12" height="12" rx="2" fill="white"/>',
  /** dome camera: a half-sphere on a base */
  dome: '<path d="M10 30 A22 22 0 0 1 54 30 Z" fill="white"/><rect x="6" y="30" width="52" height="8" rx="3" fill="white"/><circle cx="32" cy="44" r="10" fill="white"/>',
  /** checkpoint/face capture: a triangle */
  checkpoint: '<path d="M32 6 L58 54 L6 54 Z" fill="white"/>',
  /** quick-response post: a square badge */
  post: '<rect x="8" y="8" width="48" height="48" rx="8" fill="white"/>',
  /** patrol car: a car silhouette */
  car: '<path d="M8 40 L12 26 Q14 20 20 20 L44 20 Q50 20 52 26 L56 40 Z" fill="white"/><rect x="6" y="38" width="52" height="10" rx="4" fill="white"/>',
  /** foot patrol: a person */
  foot: '<circle cx="32" cy="14" r="9" fill="white"/><path d="M18 58 L22 28 L42 28 L46 58 Z" fill="white"/>',
  /** outer-circle checkpoint: a diamond */
  gate: '<path d="M32 4 L60 32 L32 60 L4 32 Z" fill="white"/>',
  /** key site: a pin */
  site: '<path d="M32 60 L14 30 A20 20 0 1 1 50 30 Z" fill="white"/>',
} as const;

export type IconName = keyof typeof SHAPES;

const urls = new Map<string, string>();

/** The icon spec deck.gl's IconLayer wants; `crossed` marks something out of service. */
export function icon(name: IconName, crossed = false) {
  const id = `${name}${crossed ? '-x' : ''}`;
  let url = urls.get(id);
  if (!url)
    urls.set(
      id,
      (url = svg(crossed ? `<g opacity="0.85">${SHAPES[name]}</g>${CROSS}` : SHAPES[name])),
    );
  return { id, url, width: 64, height: 64, mask: true, anchorY: 32 };
}
