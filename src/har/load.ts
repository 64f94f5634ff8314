import type { Capture, Exchange, InputSummary } from '../model.js';
import { InputError } from './errors.js';
import { exporterKind } from './exporter.js';
import { normaliseEntry, type NormaliseContext, type PartialExchange } from './normalise.js';
import { parseCaptureText, type Truncation } from './parse.js';
import { readInput } from './source.js';
import { captureText } from './text.js';
import { WarningCollector, formatWarning } from './warnings.js';

/** What a capture says about itself, known before its entries are read. */
export interface CaptureHeader {
  name: string;
  creatorName: string;
  creatorVersion: string;
  harVersion: string | null;
  pages: number;
  truncated: Truncation | null;
}

/** A capture opened for reading: its header, and its raw entries as an async iterable (so a streaming reader can stand in). */
export interface OpenedCapture {
  header: CaptureHeader;
  warnings: WarningCollector;
  entries: AsyncIterable<unknown>;
}

export interface LoadOptions {
  /** Index of this capture among the inputs of one run. */
  input?: number;
  stdin?: NodeJS.ReadableStream;
}

export async function openCapture(path: string, options: LoadOptions = {}): Promise<OpenedCapture> {
  const raw = await readInput(path, options.stdin);
  const warnings = new WarningCollector();
  const text = captureText(raw.bytes, warnings);
  const { doc, truncated } = parseCaptureText(raw.name, text);
  const root = asRecord(doc);
  if (!root) throw new InputError(`${raw.name}: is JSON but not a HAR (the top level is not an object with "log")`);
  const log = asRecord(root['log']);
  if (!log) throw new InputError(`${raw.name}: is JSON but not a HAR (no "log" object at the top level)`);
  const entries = log['entries'];
  if (entries === undefined) throw new InputError(`${raw.name}: is not a HAR: log.entries is missing`);
  if (!Array.isArray(entries)) throw new InputError(`${raw.name}: is not a HAR: log.entries is not a list`);

  const creator = asRecord(log['creator']);
  const creatorName = typeof creator?.['name'] === 'string' ? creator['name'] : '';
  const creatorVersion = typeof creator?.['version'] === 'string' ? creator['version'] : '';
  if (!creatorName) warnings.add('no-creator', 'log.creator.name is missing; exporter unknown');
  const versionRaw = log['version'];
  const harVersion = typeof versionRaw === 'string' && versionRaw !== '' ? versionRaw : null;
  if (harVersion === null) warnings.add('version-missing', 'log.version is missing; read as HAR 1.1 (what the spec assumes)');
  else if (!['1.1', '1.2', '1.3'].includes(harVersion)) warnings.add('version-odd', `log.version is "${harVersion.slice(0, 20)}", not 1.1–1.3; read anyway`);
  const pages = Array.isArray(log['pages']) ? log['pages'].length : 0;
  if (truncated) {
    warnings.add(
      'truncated',
      `the file is cut off at ${truncated.endsAt} (written only in part?); recovered ${truncated.recovered} complete entr${truncated.recovered === 1 ? 'y' : 'ies'}`,
    );
  }
  return {
    header: { name: raw.name, creatorName, creatorVersion, harVersion, pages, truncated },
    warnings,
    entries: iterate(entries),
  };
}

async function* iterate(list: unknown[]): AsyncIterable<unknown> {
  for (const item of list) yield item;
}

/** Reads a capture into normalised, time-sorted Exchanges. Throws InputError for input that is not a HAR at all. */
export async function loadCapture(path: string, options: LoadOptions = {}): Promise<Capture> {
  const opened = await openCapture(path, options);
  const { header, warnings } = opened;
  const ctx: NormaliseContext = { input: options.input ?? 0, warnings, previousStart: null };
  const partial: PartialExchange[] = [];
  let order = 0;
  for await (const raw of opened.entries) {
    const ex = normaliseEntry(raw, order, ctx);
    order += 1;
    if (ex) partial.push(ex);
  }
  const exchanges = finish(partial, warnings);
  const exporter = exporterKind(header.creatorName);
  const summary: InputSummary = {
    file: header.name,
    creator: [header.creatorName, header.creatorVersion].filter(Boolean).join(' ') || 'unknown',
    exporter,
    harVersion: header.harVersion,
    entries: order,
    pages: header.pages,
    truncated: header.truncated !== null,
    warnings: [],
  };
  const list = warnings.list();
  summary.warnings = list.map(formatWarning);
  return { summary, warnings: list, exchanges };
}

/**
 * Sorts by start time (stable on file order) and gives requests still open at the end of the capture an end:
 * the last moment the capture knows of. They are not errors; detection reports them as "open ≥ N s".
 */
function finish(partial: PartialExchange[], warnings: WarningCollector): Exchange[] {
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
  return partial.map((p, index) => {
    const { order: _order, startGuessed: _g, durationKnown, ...rest } = p;
    const end = rest.state === 'open' || !durationKnown ? Math.max(rest.end, captureEnd) : rest.end;
    return { ...rest, index, end, duration: Math.max(0, end - rest.start) };
  });
}

function asRecord(v: unknown): Record<string, unknown> | null {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
}
