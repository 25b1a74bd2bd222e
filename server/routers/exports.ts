/**
 * Exports made in the browser (a PNG of a view or a slide, a briefing's PDF printed from its
 * print view) never pass through the server as files: the client records each one here, so that
 * it has its audit row as the data exports of layers have theirs (who, what, which briefing or
 * view, the file's name).
 */
import { z } from 'zod';
import { BRIEFING_LIMITS } from '../../domain/briefing';
import { MAP_LAYERS } from '../../domain/layers';
import { EXPORT_FILE_NAME_MAX, EXPORT_KINDS, PNG_SIZES } from '../../domain/mapExport';
import { timeWindow } from '../briefingInputs';
import { BadInput } from '../errors';
import { id } from '../inputs';
import * as briefings from '../services/briefings';
import { procedure, router } from '../trpc';

const exported = z
  .object({
    kind: z.enum(EXPORT_KINDS),
    /** the briefing exported (a PDF always; a PNG of one of its slides) */
    briefingId: id.optional(),
    /** the slide's index in the briefing (a PNG of a slide) */
    slide: z
      .number()
      .int('must be a whole number')
      .min(0)
      .max(BRIEFING_LIMITS.slides - 1)
      .optional(),
    /** a PNG's size */
    size: z.enum(PNG_SIZES).optional(),
    fileName: z.string().trim().min(1, 'must not be empty').max(EXPORT_FILE_NAME_MAX),
    /** what a PNG of the desk's view showed: its time window and the layers that were on */
    view: z
      .object({
        window: timeWindow,
        layers: z.array(z.enum(MAP_LAYERS)).max(MAP_LAYERS.length),
      })
      .optional(),
  })
  .strict()
  .superRefine((v, ctx) => {
    const problem = (path: string, message: string) =>
      ctx.addIssue({ code: 'custom', path: [path], message });
    if (v.kind === 'pdf' && v.briefingId === undefined)
      problem('briefingId', 'a PDF is of a briefing: give its id');
    if (v.kind === 'pdf' && v.size !== undefined) problem('size', 'a PDF has no picture size');
    if (v.kind === 'png' && v.size === undefined) problem('size', `must be one of ${PNG_SIZES}`);
    if (v.slide !== undefined && v.briefingId === undefined)
      problem('slide', "a slide is a briefing's: give the briefingId");
  });

export const exportsRouter = router({
  /**
   * Records one export made in the browser: its audit row names the briefing (and slide) or the
   * desk's view, the kind, the size and the file. A briefing must exist, and a slide be one of
   * its slides. Those who may read briefings may export (a display may not).
   */
  record: procedure('briefings:read')
    .input(exported)
    .mutation(async ({ ctx, input }) => {
      const { briefingId, slide } = input;
      let slides: number | undefined;
      if (briefingId !== undefined) {
        ctx.audit.object = `briefing:${briefingId}`;
        slides = (await briefings.get(ctx.db, briefingId)).slides.length;
        if (slide !== undefined && slide >= slides)
          throw new BadInput(
            'slide',
            `briefing ${briefingId} has ${slides} slides, numbered 0 to ${slides - 1}`,
          );
      } else ctx.audit.object = 'view';
      ctx.audit.detail = {
        kind: input.kind,
        ...(input.size ? { size: input.size } : {}),
        ...(slide !== undefined ? { slide } : input.kind === 'pdf' ? { slides } : {}),
        fileName: input.fileName,
        ...(input.view ? { window: input.view.window, layers: input.view.layers } : {}),
      };
      return { recorded: true as const };
    }),
});
