/**
 * "导出图片": the desk's map as a PNG at 1×, 2× or 3840×2160, with its legend, scale bar, north
 * arrow and the data's source and time (exportPng). Each picture is audited before it is saved
 * (exports.record); the file is named after the district, the window and its last day.
 */
import { useMutation } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { localDate } from '../../../domain/time';
import { PNG_SIZES, type PngSize } from '../../../domain/mapExport';
import { useCan } from '../../auth/useCan';
import { useWindowRange } from '../../data/hooks';
import { useTRPC } from '../../data/trpc';
import { useT } from '../../i18n';
import { LAYER_IDS } from '../../state/view';
import { useView } from '../../state/viewStore';
import { CaptureHost, exportPng } from './capture';
import { useDistrictName, windowFileText } from './ExportSide';
import { fileName } from './layout';
import { useExportTexts } from './texts';

/** Saves `blob` as a download named `name`. */
export function download(blob: Blob, name: string) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function ExportMenu() {
  const t = useT();
  const et = useExportTexts();
  const trpc = useTRPC();
  const record = useMutation(trpc.exports.record.mutationOptions());
  const may = useCan('briefings:read');
  const district = useDistrictName();
  const range = useWindowRange();
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const root = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!open) return;
    const close = (e: MouseEvent) => {
      if (!root.current?.contains(e.target as Node)) setOpen(false);
    };
    const escape = (e: KeyboardEvent) => {
      if (e.key === 'Escape') setOpen(false);
    };
    document.addEventListener('mousedown', close);
    document.addEventListener('keydown', escape);
    return () => {
      document.removeEventListener('mousedown', close);
      document.removeEventListener('keydown', escape);
    };
  }, [open]);
  if (!may) return null;

  const run = async (size: PngSize) => {
    setOpen(false);
    setBusy(true);
    setError(null);
    try {
      const view = useView.getState();
      const el = document.querySelector<HTMLElement>('[data-testid=map]');
      const screen =
        el && el.clientWidth > 0 ? { width: el.clientWidth, height: el.clientHeight } : undefined;
      const png = await exportPng({ size, title: et.deskTitle, screen });
      const name = fileName(
        [district, windowFileText(view.window, range, t), localDate(range.to - 1)],
        'png',
      );
      // no picture leaves unaudited
      await record.mutateAsync({
        kind: 'png',
        size,
        fileName: name,
        view: { window: view.window, layers: LAYER_IDS.filter((id) => view.layers[id].on) },
      });
      download(png.blob, name);
    } catch (e) {
      setError(et.exportFailed(e instanceof Error ? e.message : String(e)));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="control export-menu" ref={root} data-testid="export-menu">
      <button
        className="btn"
        title={et.exportImageTitle}
        aria-haspopup="menu"
        aria-expanded={open}
        disabled={busy}
        onClick={() => setOpen(!open)}
      >
        {et.exportImage} ▾
      </button>
      {open && (
        <ul role="menu">
          {PNG_SIZES.map((s) => (
            <li key={s}>
              <button role="menuitem" data-size={s} onClick={() => void run(s)}>
                {et.size[s]}
              </button>
            </li>
          ))}
        </ul>
      )}
      {(busy || error) && (
        <div
          className="export-status"
          role={error ? 'alert' : 'status'}
          onClick={() => setError(null)}
        >
          {busy ? et.exporting : error}
        </div>
      )}
      <CaptureHost />
    </div>
  );
}
