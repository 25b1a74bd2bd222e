/**
 * Validators for answers a browser may keep and ask again about (the Arrow route): an ETag
 * from the version of the data the answer is computed from (services/dataVersions), the
 * answer's format and the request's parameters, so that a reload asks "still this?" and gets
 * 304 Not Modified, with no body and no read of the data, while nothing changed.
 */
import { createHash } from 'node:crypto';
import { INCIDENT_CATEGORIES } from '../../domain/vocabulary';
import { incidentSchema } from './arrow';

/**
 * How such answers may be kept: by the browser only (police data: no shared cache), and asked
 * again about before each use (no-cache: revalidated with If-None-Match, never used unasked).
 */
export const REVALIDATE = 'private, no-cache';

/** The Arrow file's format: its fields and the categories' dictionary (their order is coded). */
export const ARROW_FORMAT = JSON.stringify([
  incidentSchema.fields.map((f) => [f.name, String(f.type)]),
  INCIDENT_CATEGORIES,
]);

/** Parameters as they select data: sets sorted, dates as instants, absent ones left out. */
function normalised(params: Record<string, unknown>): string {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(params).sort()) {
    const v = params[k];
    if (v === undefined) continue;
    out[k] = Array.isArray(v) ? [...new Set(v.map(String))].sort() : v;
  }
  return JSON.stringify(out);
}

/**
 * A weak ETag for an answer in `format` (a description of its encoding, e.g. ARROW_FORMAT) at
 * data version `version` for `params` (the parsed, checked parameters): equal only for answers
 * with the same content.
 */
export function dataEtag(format: string, version: string, params: Record<string, unknown>) {
  const h = createHash('sha256').update(format).update('\0').update(normalised(params));
  return `W/"${version}-${h.digest('base64url').slice(0, 22)}"`;
}

/** Whether an If-None-Match header names `etag` (weak comparison, RFC 9110 13.1.2). */
export function etagMatches(ifNoneMatch: string | string[] | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  const opaque = (t: string) => t.trim().replace(/^W\//, '');
  const want = opaque(etag);
  return [ifNoneMatch]
    .flat()
    .join(',')
    .split(',')
    .some((t) => t.trim() === '*' || opaque(t) === want);
}
