/**
 * The drawing tools on the map while a slide is edited (useAnnotations.editing): the tools, the
 * selected drawing's text, delete and clear, and over the map the gesture in progress (with the
 * circle's radius in metres) and the input of a text label being placed. Mounted inside the
 * map's own container, so it sits on the map wherever the map is.
 */
import type maplibregl from 'maplibre-gl';
import { useEffect, useRef, useState } from 'react';
import { createPortal } from 'react-dom';
import { BRIEFING_LIMITS } from '../../../domain/briefing';
import { useBasemap } from '../../data/hooks';
import { displayOffset } from '../../map/basemap';
import { css } from '../../theme';
import { Segmented } from '../../ui/Segmented';
import { ARROW_HEAD_PX, arrowHead, closesLoop, radiusMeters } from './geometry';
import { ANNOTATION_STYLE } from './layers';
import { useAnnotations } from './store';
import { useAnnotationTexts, type AnnotationTexts } from './texts';
import {
  ANNOTATION_TOOLS,
  useAnnotationDraw,
  type AnnotationDraw,
  type AnnotationTool,
} from './useAnnotationDraw';
import './annotations.css';

const STROKE = css(ANNOTATION_STYLE.colour);
const HALO = css(ANNOTATION_STYLE.halo);

/** The gesture in progress, drawn in pixels over the map until it is released. */
function Preview({
  tool,
  draw,
  t,
}: {
  tool: AnnotationTool;
  draw: AnnotationDraw;
  t: AnnotationTexts;
}) {
  const path = draw.path;
  if (!path || path.length < 2) return null;
  const [a, b] = [path[0]!, path.at(-1)!];
  const shapes: React.ReactNode[] = [];
  let caption: string | null = null;
  if (tool === 'arrow') {
    const h = arrowHead(a, b, ARROW_HEAD_PX.length, ARROW_HEAD_PX.halfWidth);
    shapes.push(<line key="l" x1={a[0]} y1={a[1]} x2={(h?.neck ?? b)[0]} y2={(h?.neck ?? b)[1]} />);
    if (h) shapes.push(<polygon key="h" points={h.head.map((p) => p.join(',')).join(' ')} />);
  } else if (tool === 'circle') {
    shapes.push(<circle key="c" cx={a[0]} cy={a[1]} r={Math.hypot(b[0] - a[0], b[1] - a[1])} />);
    shapes.push(<line key="r" x1={a[0]} y1={a[1]} x2={b[0]} y2={b[1]} strokeDasharray="6 5" />);
    caption = t.radius(t.metres(radiusMeters(draw.toLngLat(a), draw.toLngLat(b))));
  } else if (tool === 'outline') {
    const closed = closesLoop(path);
    const points = path.map((p) => p.join(',')).join(' ');
    shapes.push(
      closed ? <polygon key="o" points={points} /> : <polyline key="o" points={points} />,
    );
  }
  return (
    <>
      <svg className="annot-preview">
        <g
          stroke={HALO}
          strokeWidth={ANNOTATION_STYLE.haloWidth}
          fill="none"
          strokeLinecap="round"
          strokeLinejoin="round"
        >
          {shapes}
        </g>
        <g
          stroke={STROKE}
          strokeWidth={ANNOTATION_STYLE.width}
          fill={css(ANNOTATION_STYLE.fill)}
          strokeLinecap="round"
          strokeLinejoin="round"
        >
          {shapes}
        </g>
      </svg>
      {caption && (
        <div
          className="annot-radius num"
          style={{ left: b[0] + 14, top: b[1] + 14 }}
          data-testid="annot-radius"
        >
          {caption}
        </div>
      )}
    </>
  );
}

/** The input of a text label being placed: Enter places it, Esc drops it, leaving it places it. */
function TextInput({ draw, t }: { draw: AnnotationDraw; t: AnnotationTexts }) {
  const d = draw.textDraft;
  const ref = useRef<HTMLInputElement>(null);
  useEffect(() => ref.current?.focus(), [d]);
  if (!d) return null;
  return (
    <input
      ref={ref}
      className="annot-input"
      style={{ left: d.x, top: d.y }}
      maxLength={BRIEFING_LIMITS.annotationText}
      placeholder={t.labelPlaceholder}
      aria-label={t.label}
      data-testid="annot-input"
      onKeyDown={(e) => {
        if (e.key === 'Enter') draw.commitText(e.currentTarget.value);
        else if (e.key === 'Escape') draw.cancelText();
        e.stopPropagation();
      }}
      onBlur={(e) => draw.commitText(e.currentTarget.value)}
    />
  );
}

/** The selected drawing's words (a text label must keep some: left blank, it goes). */
function SelectedText({ t }: { t: AnnotationTexts }) {
  const selected = useAnnotations((s) => s.selected);
  const a = useAnnotations((s) => (s.selected === null ? null : s.annotations[s.selected]));
  if (selected === null || !a) return null;
  return (
    <input
      className="annot-text"
      value={a.text}
      maxLength={BRIEFING_LIMITS.annotationText}
      placeholder={t.labelPlaceholder}
      aria-label={t.label}
      data-testid="annot-text"
      onChange={(e) => useAnnotations.getState().update(selected, { ...a, text: e.target.value })}
      onBlur={(e) => {
        if (a.kind === 'text' && !e.target.value.trim()) useAnnotations.getState().remove(selected);
      }}
      onKeyDown={(e) => {
        if (e.key === 'Enter' || e.key === 'Escape') e.currentTarget.blur();
      }}
    />
  );
}

export function AnnotationToolbar({ map }: { map: maplibregl.Map }) {
  const t = useAnnotationTexts();
  const editing = useAnnotations((s) => s.editing);
  const count = useAnnotations((s) => s.annotations.length);
  const selected = useAnnotations((s) => s.selected);
  const [tool, setTool] = useState<AnnotationTool>('arrow');
  const [message, setMessage] = useState<string | null>(null);
  const basemap = useBasemap();
  const offset = basemap ? displayOffset(basemap) : null;
  const draw = useAnnotationDraw(editing ? map : null, tool, {
    offset,
    onRefused: () => setMessage(t.full),
  });
  useEffect(() => {
    if (!message) return;
    const timer = setTimeout(() => setMessage(null), 5000);
    return () => clearTimeout(timer);
  }, [message]);
  if (!editing) return null;
  const s = useAnnotations.getState;

  return createPortal(
    <>
      <Preview tool={tool} draw={draw} t={t} />
      <TextInput draw={draw} t={t} />
      <div
        className="annot-toolbar"
        role="toolbar"
        aria-label={t.toolbar}
        data-testid="annot-toolbar"
      >
        <div className="annot-row">
          <Segmented
            options={ANNOTATION_TOOLS.map((id) => [id, t.tools[id]] as const)}
            value={tool}
            onChange={setTool}
            testId={(id) => `annot-tool-${id}`}
          />
          <button
            className="btn"
            disabled={selected === null}
            onClick={() => selected !== null && s().remove(selected)}
            data-testid="annot-delete"
          >
            ✕ {t.remove}
          </button>
          <button
            className="btn"
            disabled={!count}
            onClick={() => {
              if (window.confirm(t.clearConfirm)) s().clear();
            }}
            data-testid="annot-clear"
          >
            {t.clear}
          </button>
          <span className="annot-count num" data-testid="annot-count">
            {t.count(count)}
          </span>
        </div>
        <SelectedText t={t} />
        <div className="annot-hint">{t.hints[tool]}</div>
        {message && (
          <div className="annot-message" role="alert" data-testid="annot-message">
            {message}
          </div>
        )}
      </div>
    </>,
    map.getContainer(),
  );
}
