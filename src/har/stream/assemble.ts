import type { Capture, CaptureWarning, Exchange, InputSummary } from '../../model.js';
import { exporterKind } from '../exporter.js';
import type { PartialExchange } from '../normalise.js';
import { WarningCollector, formatWarning } from '../warnings.js';
import { StoredExchange } from './stored.js';

/** What a capture says about itself outside its entries. */
export interface HeaderFacts {
  name: string;
  creatorName: string;
  creatorVersion: string;
  harVersion: string | null;
  pages: number;
  truncated: boolean;
}

/** Replays counted warnings into a collector in order (first message of each code wins, counts add up). */
export function replay(into: WarningCollector, list: readonly CaptureWarning[]): void {
  for (const w of list) for (let i = 0; i < w.count; i += 1) into.add(w.code, w.message);
}

/** Builds the Capture: sorts the exchanges, closes open ones at the capture's end, and renders the summary. */
export function assemble(header: HeaderFacts, entries: number, partial: PartialExchange[], warnings: WarningCollector, spilled = false): Capture {
  const exchanges = finish(partial, warnings, spilled);
  const summary: InputSummary = {
    file: header.name,
    creator: [header.creatorName, header.creatorVersion].filter(Boolean).join(' ') || 'unknown',
    exporter: exporterKind(header.creatorName),
    harVersion: header.harVersion,
    entries,
    pages: header.pages,
    truncated: header.truncated,
    warnings: [],
  };
  const list = warnings.list();
  summary.warnings = list.map(formatWarning);
  return { summary, warnings: list, exchanges };
}

/**
 * Sorts by start time (stable on file order) and gives requests still open at the end of the capture an end:
 * the last moment the capture knows of. They are not errors; detection reports them as "open ≥ N s".
 * When some texts were spilled to disk, every exchange is a StoredExchange (one shape for analysis to see).
 */
export function finish(partial: PartialExchange[], warnings: WarningCollector, spilled = false): Exchange[] {
  let unsorted = false;
  for (let i = 1; i < partial.length; i += 1) {
    if (partial[i]!.start < partial[i - 1]!.start && !partial[i]!.startGuessed) unsorted = true;
  }
  if (unsorted) warnings.add('unsorted', 'entries are not in time order; sorted them');
  partial.sort((a, b) => a.start - b.start || a.order - b.order);

  if (partial.length > 1) {
    const span = partial[partial.length - 1]!.start - partial[0]!.start;
    if (span > 7 * 24 * 3600 * 1000) {
      warnings.add('span-days', `entries span ${Math.round(span / 86_400_000)} days: the file may join several recordings`);
    }
  }
  let captureEnd = -Infinity;
  for (const p of partial) {
    captureEnd = Math.max(captureEnd, p.durationKnown ? p.end : p.start);
  }
  const out: Exchange[] = new Array(partial.length);
  for (let index = 0; index < partial.length; index += 1) {
    const p = partial[index]!;
    // An open request runs to the last moment the capture knows of; so did one of unknown duration, unless it failed
    // (a refused connection with no timings ended when it began, as far as the capture tells).
    const end = p.state === 'open' || (!p.durationKnown && p.state !== 'failed') ? Math.max(p.end, captureEnd) : p.end;
    partial[index] = undefined as unknown as PartialExchange; // let the partial go as soon as it is copied
    if (spilled) {
      out[index] = new StoredExchange(p, index, end);
      continue;
    }
    // Spelt out (not a spread): V8 builds these much faster, and every capture has many.
    out[index] = {
      input: p.input,
      method: p.method,
      url: p.url,
      start: p.start,
      end,
      duration: Math.max(0, end - p.start),
      timings: p.timings,
      status: p.status,
      statusText: p.statusText,
      state: p.state,
      error: p.error,
      httpVersion: p.httpVersion,
      resourceType: p.resourceType,
      mimeType: p.mimeType,
      requestHeaders: p.requestHeaders,
      responseHeaders: p.responseHeaders,
      requestBody: p.requestBody as string | null, // spilled texts only come with `spilled`
      responseBody: p.responseBody as string | null,
      requestHeaderBytes: p.requestHeaderBytes,
      responseHeaderBytes: p.responseHeaderBytes,
      responseBodyBytes: p.responseBodyBytes,
      wsFrames: p.wsFrames,
      sseEvents: p.sseEvents,
      pushed: p.pushed,
      fromCache: p.fromCache,
      pageref: p.pageref,
      connection: p.connection,
      index,
    };
  }
  return out;
}
