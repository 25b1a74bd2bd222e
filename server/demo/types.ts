/**
 * What the Chengbei demo generator produces: a whole dataset (server/dataset/types.ts), where it
 * comes from (the seed and the anchor date) and the window its incidents cover.
 */
import type { Coverage, DataSource, DatasetTables } from '../dataset/types';

export type DemoSource = Extract<DataSource, { kind: 'demo' }>;

export interface DemoData extends DatasetTables {
  source: DemoSource;
  /**
   * incidents cover [start, end): end is 00:00 Asia/Shanghai of the day after the anchor, or the
   * moment of generation when that is earlier (the anchor is today)
   */
  coverage: Coverage;
}

export interface DemoOptions {
  /** any string; default 'chengbei' */
  seed?: string;
  /** YYYY-MM-DD, not after today; default today in Asia/Shanghai */
  anchor?: string;
  /**
   * The moment of generation, epoch ms; default Date.now(). When the anchor is today, nothing
   * is generated at or after it.
   */
  now?: number;
  /** total incidents over the 24 months; default about 140,000 */
  incidents?: number;
}
