import type { Capture } from '../model.js';
import { InputError } from './errors.js';
import { normaliseEntry, type NormaliseContext, type PartialExchange } from './normalise.js';
import { parseCaptureText, type Truncation } from './parse.js';
import { readInput } from './source.js';
import { captureText } from './text.js';
import { assemble } from './stream/assemble.js';
import { NeedsWholeFile, streamCapture, type StreamOptions } from './stream/read.js';
import { WarningCollector } from './warnings.js';

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

export interface LoadOptions extends StreamOptions {
  /** Index of this capture among the inputs of one run. */
  input?: number;
  stdin?: NodeJS.ReadableStream;
  /** The input's bytes, when the streaming reader has consumed them already (stdin, a named pipe). */
  consumed?: Buffer;
}

export async function openCapture(path: string, options: LoadOptions = {}): Promise<OpenedCapture> {
  const raw = await readInput(path, options.stdin, options.consumed);
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

/**
 * Reads a capture into normalised, time-sorted Exchanges. Throws InputError for input that is not a HAR at all.
 * Reads as a stream (stream/read.ts) in bounded memory; input the streaming reader cannot read (UTF-16, syntax
 * errors, a top level that is not a HAR) goes to the whole-file reader, which words the error, when it is small
 * enough to hold.
 */
export async function loadCapture(path: string, options: LoadOptions = {}): Promise<Capture> {
  try {
    return await streamCapture(path, options);
  } catch (err) {
    if (!(err instanceof NeedsWholeFile)) throw err;
    return loadCaptureWhole(path, { ...options, consumed: err.consumed ?? undefined });
  }
}

/** The whole-file reader: JSON.parse of the complete text (inputs up to a few hundred MB). */
export async function loadCaptureWhole(path: string, options: LoadOptions = {}): Promise<Capture> {
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
  return assemble({ ...header, truncated: header.truncated !== null }, order, partial, warnings);
}

function asRecord(v: unknown): Record<string, unknown> | null {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
}
