/**
 * Exports of the map for briefings: a picture (PNG) of a view or of a slide, and the PDF of a
 * whole briefing (its print view printed by the browser). The vocabulary for server and client.
 */

/** What is exported: a picture of one view, or a whole briefing as a PDF. */
export const EXPORT_KINDS = ['png', 'pdf'] as const;
export type ExportKind = (typeof EXPORT_KINDS)[number];

/**
 * A picture's size: the map as big as it is on the screen (1×), with twice the pixels (2×), or
 * a 3840 × 2160 picture for a 4K screen or projector.
 */
export const PNG_SIZES = ['1x', '2x', '4k'] as const;
export type PngSize = (typeof PNG_SIZES)[number];

/** The 4K picture's pixels. */
export const UHD = { width: 3840, height: 2160 } as const;

/** The longest file name an export's audit row keeps. */
export const EXPORT_FILE_NAME_MAX = 200;
