/**
 * A slide's picture for the briefing editor and the presenter: made from the slide's own view
 * (exportPng; a <CaptureHost /> must be mounted), audited with its briefing and slide, then
 * saved as a download named after the district, the slide and its window.
 */
import { useMutation } from '@tanstack/react-query';
import type { PngSize } from '../../../domain/mapExport';
import type { Slide } from '../../../server/briefingInputs';
import { sharedRange, useReference } from '../../data/hooks';
import { useTRPC } from '../../data/trpc';
import { useT } from '../../i18n';
import type { View } from '../../state/view';
import { useView } from '../../state/viewStore';
import { exportPng } from './capture';
import { download } from './ExportMenu';
import { useDistrictName, windowFileText } from './ExportSide';
import { fileName, REFERENCE_MAP } from './layout';
import { viewOfSlide } from '../slideView';

/** What a slide's picture is drawn from: its title, view, comparison, drawings, area and ground. */
export function slidePicture(slide: Slide, base: Pick<View, 'lang' | 'mode'>) {
  return {
    title: slide.title,
    view: viewOfSlide(slide.view, base, slide.comparison),
    annotations: slide.annotations,
    area: slide.view.extent,
    noBasemap: slide.view.basemap === 'none',
  };
}

export function useExportSlide() {
  const t = useT();
  const trpc = useTRPC();
  const record = useMutation(trpc.exports.record.mutationOptions());
  const district = useDistrictName();
  const reference = useReference();
  return async (briefingId: number, index: number, slide: Slide, size: PngSize) => {
    const { lang, mode } = useView.getState();
    const w = slide.view.window;
    const png = await exportPng({
      size,
      ...slidePicture(slide, { lang, mode }),
      screen: REFERENCE_MAP,
    });
    const name = fileName(
      [district, slide.title, windowFileText(w, sharedRange(w, reference), t)],
      'png',
    );
    await record.mutateAsync({ kind: 'png', size, briefingId, slide: index, fileName: name });
    download(png.blob, name);
  };
}
