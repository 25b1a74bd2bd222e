/** Formatting for the administration pages: times in Xining local time, server errors as they come. */
import { TRPCClientError } from '@trpc/client';
import { formatLocal } from '../../domain/time';

/** An instant as `2026-06-30 16:15:09` in Asia/Shanghai; `seconds: false` drops the seconds. */
export function localTime(iso: string | Date, seconds = true): string {
  // the audit trail's times carry microseconds: milliseconds are all Date needs
  const ms = iso instanceof Date ? iso.getTime() : Date.parse(iso.replace(/(\.\d{3})\d+/, '$1'));
  if (Number.isNaN(ms)) return String(iso);
  return formatLocal(ms, seconds ? 'yyyy-MM-dd HH:mm:ss' : 'yyyy-MM-dd HH:mm');
}

/** The server's message: it names the problem (a field and what is wrong with it). */
export function errorText(e: unknown): string {
  if (e instanceof TRPCClientError || e instanceof Error) return e.message;
  return String(e);
}
