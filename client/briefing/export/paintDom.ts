/**
 * Paints a laid-out DOM subtree (the picture's side panel: texts and the legend's sections as
 * the page draws them) onto a 2D canvas at any scale: background colours and horizontal
 * gradients, borders (solid or dashed), masked icons tinted with their background colour, and
 * text with the element's own font, run by run as the browser broke its lines. Enough for the
 * legend's markup (client/layers/legends.tsx), not a general HTML renderer.
 */

/** Draws something of its own in an element's box (a scale bar, a north arrow); true if it did. */
export type PaintHook = (ctx: CanvasRenderingContext2D, el: HTMLElement, box: DOMRect) => boolean;

/** rgb()/rgba() colours in a computed style value, in order. */
const COLOURS = /rgba?\([^)]*\)/g;

function visible(colour: string): boolean {
  const m = /rgba\([^)]*,\s*([\d.]+)\)/.exec(colour);
  return colour !== 'transparent' && (!m || Number(m[1]) > 0);
}

const images = new Map<string, Promise<HTMLImageElement>>();
/** An image (the icons are data URLs: nothing leaves the page), decoded once. */
function image(url: string): Promise<HTMLImageElement> {
  let p = images.get(url);
  if (!p) {
    const img = new Image();
    img.src = url;
    p = img.decode().then(() => img);
    images.set(url, p);
  }
  return p;
}

/** A white mask image tinted with `colour`, drawn into `box`. */
async function maskIcon(
  ctx: CanvasRenderingContext2D,
  url: string,
  colour: string,
  box: { x: number; y: number; w: number; h: number },
) {
  const img = await image(url);
  const tint = document.createElement('canvas');
  tint.width = Math.max(1, Math.round(box.w));
  tint.height = Math.max(1, Math.round(box.h));
  const t = tint.getContext('2d')!;
  t.drawImage(img, 0, 0, tint.width, tint.height);
  t.globalCompositeOperation = 'source-in';
  t.fillStyle = colour;
  t.fillRect(0, 0, tint.width, tint.height);
  ctx.drawImage(tint, box.x, box.y, box.w, box.h);
}

function paintBorders(
  ctx: CanvasRenderingContext2D,
  cs: CSSStyleDeclaration,
  b: { x: number; y: number; w: number; h: number },
  scale: number,
) {
  const sides = [
    ['Top', b.x, b.y, b.x + b.w, b.y, 0, 1],
    ['Bottom', b.x, b.y + b.h, b.x + b.w, b.y + b.h, 0, -1],
    ['Left', b.x, b.y, b.x, b.y + b.h, 1, 0],
    ['Right', b.x + b.w, b.y, b.x + b.w, b.y + b.h, -1, 0],
  ] as const;
  for (const [side, x0, y0, x1, y1, dx, dy] of sides) {
    const width = parseFloat(cs.getPropertyValue(`border-${side.toLowerCase()}-width`)) * scale;
    const style = cs.getPropertyValue(`border-${side.toLowerCase()}-style`);
    const colour = cs.getPropertyValue(`border-${side.toLowerCase()}-color`);
    if (!width || style === 'none' || style === 'hidden' || !visible(colour)) continue;
    ctx.save();
    ctx.strokeStyle = colour;
    ctx.lineWidth = width;
    ctx.setLineDash(
      style === 'dashed' ? [width * 3, width * 2] : style === 'dotted' ? [width, width] : [],
    );
    ctx.beginPath();
    ctx.moveTo(x0 + (dx * width) / 2, y0 + (dy * width) / 2);
    ctx.lineTo(x1 + (dx * width) / 2, y1 + (dy * width) / 2);
    ctx.stroke();
    ctx.restore();
  }
}

function paintText(
  ctx: CanvasRenderingContext2D,
  node: Text,
  cs: CSSStyleDeclaration,
  origin: DOMRect,
  scale: number,
) {
  const text = node.data;
  if (!text.trim()) return;
  ctx.save();
  ctx.font = `${cs.fontStyle} ${cs.fontWeight} ${parseFloat(cs.fontSize) * scale}px ${cs.fontFamily}`;
  ctx.fillStyle = cs.color;
  ctx.textBaseline = 'alphabetic';
  const ascent = ctx.measureText('国').fontBoundingBoxAscent;
  // the browser's own line breaks: characters on one line (same top) make one run
  const range = document.createRange();
  let run = '';
  let at: DOMRect | null = null;
  const flush = () => {
    if (at && run.trim())
      ctx.fillText(run, (at.left - origin.left) * scale, (at.top - origin.top) * scale + ascent);
    run = '';
    at = null;
  };
  for (let i = 0; i < text.length; i++) {
    range.setStart(node, i);
    range.setEnd(node, i + 1);
    const r = range.getClientRects()[0];
    if (!r || r.width === 0) continue;
    if (at && Math.abs(r.top - (at as DOMRect).top) > 1) flush();
    at ??= r;
    run += text[i];
  }
  flush();
  ctx.restore();
}

/**
 * Paints `root` and everything in it into `ctx`, `scale` canvas pixels per CSS pixel, the root's
 * top left at the context's origin (translate the context to place it).
 */
export async function paintDom(
  ctx: CanvasRenderingContext2D,
  root: HTMLElement,
  scale: number,
  hook?: PaintHook,
): Promise<void> {
  await document.fonts.ready;
  const origin = root.getBoundingClientRect();
  const walk = document.createTreeWalker(root, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT);
  for (let node: Node | null = root; node; node = walk.nextNode()) {
    if (node instanceof Text) {
      const parent = node.parentElement;
      const cs = parent && getComputedStyle(parent);
      if (cs && cs.visibility !== 'hidden') paintText(ctx, node, cs, origin, scale);
      continue;
    }
    if (!(node instanceof HTMLElement)) continue;
    const cs = getComputedStyle(node);
    if (cs.display === 'none' || cs.visibility === 'hidden') continue;
    const r = node.getBoundingClientRect();
    if (hook?.(ctx, node, r)) continue;
    const box = {
      x: (r.left - origin.left) * scale,
      y: (r.top - origin.top) * scale,
      w: r.width * scale,
      h: r.height * scale,
    };
    const mask = cs.getPropertyValue('mask-image') || cs.getPropertyValue('-webkit-mask-image');
    const maskUrl = /url\("?([^")]+)"?\)/.exec(mask)?.[1];
    if (maskUrl) {
      await maskIcon(ctx, maskUrl, cs.backgroundColor, box);
      continue;
    }
    const radius = parseFloat(cs.borderTopLeftRadius) * scale || 0;
    const fill = (style: string | CanvasGradient) => {
      ctx.fillStyle = style;
      ctx.beginPath();
      ctx.roundRect(box.x, box.y, box.w, box.h, radius);
      ctx.fill();
    };
    if (visible(cs.backgroundColor)) fill(cs.backgroundColor);
    if (cs.backgroundImage.startsWith('linear-gradient')) {
      // the legend's ramps run left to right
      const stops = cs.backgroundImage.match(COLOURS) ?? [];
      const g = ctx.createLinearGradient(box.x, 0, box.x + box.w, 0);
      stops.forEach((c, i) => g.addColorStop(stops.length > 1 ? i / (stops.length - 1) : 0, c));
      if (stops.length) fill(g);
    }
    paintBorders(ctx, cs, box, scale);
  }
}
