// The comparison of several captures: one column per capture, one row per figure a realtime engineer compares,
// and a few sentences on what differs most, generated from those figures.
import { basename } from 'node:path';
import type { Analysis, ChannelReport } from '../model.js';
import { channelFigures, mainChannel, type ChannelFigures } from '../measure/summary.js';
import { formatBytes, formatDuration, formatPercent, plural } from './format.js';

export interface CompareColumn {
  /** The capture as given on the command line. */
  file: string;
  /** Short name used in the table head and the sentences (the base name, or the path when base names clash). */
  name: string;
  /** The channel this column speaks for (see mainChannel), or null when the capture has none. */
  channel: ChannelReport | null;
  /** Other push channels in the same capture. */
  others: ChannelReport[];
  figures: ChannelFigures | null;
  durationMs: number;
}

export interface CompareRow {
  key: string;
  label: string;
  values: string[];
}

export interface Comparison {
  columns: CompareColumn[];
  rows: CompareRow[];
  /** Plain sentences on what differs most, biggest difference first. */
  differences: string[];
}

/** One analysis per capture (each analysed on its own), in command-line order. */
export function buildComparison(analyses: readonly Analysis[]): Comparison {
  const files = analyses.map((a) => a.inputs[0]?.file ?? '?');
  const bases = files.map(shortName);
  const clash = new Set(bases).size !== bases.length;
  const columns: CompareColumn[] = analyses.map((a, i) => {
    const channel = mainChannel(a.channels);
    return {
      file: files[i]!,
      name: clash ? files[i]! : bases[i]!,
      channel,
      others: a.channels.filter((c) => c !== channel),
      figures: channel ? channelFigures(channel) : null,
      durationMs: a.capture.durationMs,
    };
  });
  return { columns, rows: rowsOf(columns), differences: differencesOf(columns) };
}

/**
 * A column's name: the file name without its folder. A shell's process substitution (`<(zcat a.har.gz)`) hands over
 * `/dev/fd/63`, whose file name alone ("63") says nothing, so such paths keep their folder.
 */
function shortName(file: string): string {
  return /(^|\/)fd\/\d+$/.test(file) ? file : basename(file);
}

type Cell = (ch: ChannelReport, f: ChannelFigures) => string;

const ROWS: { key: string; label: string; cell: Cell }[] = [
  { key: 'push', label: 'push', cell: (ch) => ch.label },
  { key: 'modeCarrier', label: 'mode · carrier', cell: (ch) => `${ch.mode} · ${ch.carrier}` },
  { key: 'protocol', label: 'protocol', cell: (ch) => protocolText(ch) },
  { key: 'endpoint', label: 'endpoint', cell: (ch) => shortEndpoint(ch.endpoint) },
  { key: 'setupRequests', label: 'setup requests', cell: (_ch, f) => String(f.setupRequests) },
  { key: 'requests', label: 'requests (all)', cell: (_ch, f) => String(f.totalRequests) },
  { key: 'requestsPerMinute', label: 'requests / minute', cell: (_ch, f) => rate(f.requestsPerMinute) },
  { key: 'messages', label: 'messages delivered', cell: (ch) => (ch.messages === null ? 'not visible' : String(ch.messages)) },
  { key: 'messagesPerMinute', label: 'messages / minute', cell: (_ch, f) => rate(f.messagesPerMinute) },
  { key: 'hold', label: 'hold median / max', cell: (ch) => (ch.holdMs ? `${formatDuration(ch.holdMs.median)} / ${formatDuration(ch.holdMs.max)}` : '–') },
  { key: 'timeout', label: 'server timeout', cell: (ch) => formatDuration(ch.timeoutMs) },
  { key: 'cadence', label: 're-poll / interval', cell: (ch) => cadenceText(ch) },
  { key: 'reconnects', label: 'reconnects · back-off', cell: (ch) => reconnectText(ch) },
  { key: 'coverage', label: 'connection open', cell: (ch) => formatPercent(ch.coverage) },
  { key: 'gaps', label: 'blind gaps', cell: (ch, f) => gapText(ch, f) },
  { key: 'errors', label: 'errors / aborts', cell: (ch) => errorText(ch) },
  { key: 'headerBytesPerMessage', label: 'header bytes / message', cell: (_ch, f) => formatBytes(f.headerBytesPerMessage) },
  { key: 'requestsPerMessage', label: 'requests / message', cell: (_ch, f) => (f.requestsPerMessage === null ? '–' : String(f.requestsPerMessage)) },
];

function rowsOf(columns: CompareColumn[]): CompareRow[] {
  const rows: CompareRow[] = [
    { key: 'duration', label: 'capture length', values: columns.map((c) => formatDuration(c.durationMs)) },
  ];
  for (const r of ROWS) {
    rows.push({
      key: r.key,
      label: r.label,
      values: columns.map((c) => (c.channel && c.figures ? r.cell(c.channel, c.figures) : r.key === 'push' ? 'no push channel' : '–')),
    });
  }
  rows.push({
    key: 'otherChannels',
    label: 'other push channels',
    values: columns.map((c) => (c.others.length ? c.others.map((o) => `${o.id} ${o.label} (${plural(o.requests, 'req', 'req')})`).join('; ') : 'none')),
  });
  return rows;
}

export function protocolText(ch: ChannelReport): string {
  if (!ch.protocol || ch.protocol === 'none') return 'none recognised';
  return `${ch.protocol}${ch.protocolVersion ? ` ${ch.protocolVersion}` : ''}`;
}

/** "GET https://host/path" → "GET /path". */
export function shortEndpoint(endpoint: string): string {
  return endpoint.replace(/^(\S+ )[a-z][a-z0-9+.-]*:\/\/[^/\s]+/i, '$1');
}

export function cadenceText(ch: ChannelReport): string {
  const parts: string[] = [];
  if (ch.pollIntervalMs !== null) parts.push(`every ${formatDuration(ch.pollIntervalMs)}${loopsText(ch)}`);
  if (ch.repollDelayMs) parts.push(`${formatDuration(ch.repollDelayMs.median)} after each answer`);
  return parts.length ? parts.join(', ') : '–';
}

/** " in each of 2 loops" where the same poll ran in several loops at once (the interval is one loop's). */
export function loopsText(ch: ChannelReport): string {
  return ch.loops !== undefined && ch.loops > 1 ? ` in each of ${ch.loops} loops` : '';
}

export function reconnectText(ch: ChannelReport): string {
  if (ch.reconnect.count === 0) return 'none';
  const shown = ch.reconnect.delaysMs.slice(0, 4).map((d) => formatDuration(d));
  const more = ch.reconnect.delaysMs.length > 4 ? ', …' : '';
  return `${ch.reconnect.count} · ${ch.reconnect.pattern}${shown.length ? ` (${shown.join(', ')}${more})` : ''}`;
}

function gapText(ch: ChannelReport, f: ChannelFigures): string {
  if (ch.gaps.length === 0) return 'none';
  return `${ch.gaps.length}, longest ${formatDuration(f.longestGapMs)}${ch.gaps.length > 1 ? ` (${formatDuration(f.gapTotalMs)} in all)` : ''}`;
}

function errorText(ch: ChannelReport): string {
  const open = ch.pendingAtEnd > 0 ? ` · ${ch.pendingAtEnd} open at end` : '';
  return `${ch.errors}${open}`;
}

function rate(n: number | null): string {
  if (n === null) return '–';
  return n >= 10 ? String(Math.round(n)) : String(Math.round(n * 10) / 10);
}

function times(ratio: number): string {
  return ratio >= 10 ? `${Math.round(ratio)}×` : `${Math.round(ratio * 10) / 10}×`;
}

// ---- What differs most ----

interface Sentence {
  weight: number;
  text: string;
}

function extremes(cols: CompareColumn[], pick: (c: CompareColumn) => number | null): { lo: CompareColumn; hi: CompareColumn; loV: number; hiV: number } | null {
  const known = cols.map((c) => ({ c, v: pick(c) })).filter((x): x is { c: CompareColumn; v: number } => x.v !== null && Number.isFinite(x.v));
  if (known.length < 2) return null;
  let lo = known[0]!;
  let hi = known[0]!;
  for (const k of known) {
    if (k.v < lo.v) lo = k;
    if (k.v > hi.v) hi = k;
  }
  return lo.c === hi.c ? null : { lo: lo.c, hi: hi.c, loV: lo.v, hiV: hi.v };
}

function differencesOf(columns: CompareColumn[]): string[] {
  const cols = columns.filter((c) => c.channel && c.figures);
  const out: Sentence[] = [];
  const none = columns.filter((c) => !c.channel);
  if (none.length > 0 && cols.length > 0) {
    out.push({ weight: 100, text: `${list(none.map((c) => c.name))} ${none.length === 1 ? 'shows' : 'show'} no push channel at all.` });
  }
  if (cols.length < 2) return out.map((s) => s.text);

  const labels = new Set(cols.map((c) => c.channel!.label));
  if (labels.size > 1) {
    out.push({ weight: 90, text: `${cols.map((c, i) => `${c.name} ${i === 0 ? 'pushes by' : 'by'} ${c.channel!.label}`).join('; ')}.` });
  }

  const rpm = extremes(cols, (c) => c.figures!.requestsPerMinute);
  if (rpm && rpm.loV > 0 && rpm.hiV / rpm.loV >= 1.5) {
    const ratio = rpm.hiV / rpm.loV;
    const mHi = rpm.hi.figures!.messagesPerMinute;
    const mLo = rpm.lo.figures!.messagesPerMinute;
    let tail = '';
    if (mHi !== null && mLo !== null && mLo > 0) {
      const m = mHi / mLo;
      if (m >= 0.8 && m <= 1.25) tail = ' for the same messages';
      else if (m < 0.8) tail = ` while delivering fewer messages per minute (${rate(mHi)} vs ${rate(mLo)})`;
      else tail = ` and delivers ${times(m)} the messages per minute (${rate(mHi)} vs ${rate(mLo)})`;
    }
    out.push({ weight: 50 + ratio, text: `${rpm.hi.name} makes ${times(ratio)} more requests per minute than ${rpm.lo.name} (${rate(rpm.hiV)} vs ${rate(rpm.loV)})${tail}.` });
  }

  const hb = extremes(cols, (c) => c.figures!.headerBytesPerMessage);
  if (hb && hb.loV > 0 && hb.hiV / hb.loV >= 1.5) {
    const ratio = hb.hiV / hb.loV;
    out.push({ weight: 40 + ratio, text: `Each message delivered costs ${hb.hi.name} ${formatBytes(hb.hiV)} of HTTP headers, ${times(ratio)} the ${formatBytes(hb.loV)} of ${hb.lo.name}.` });
  }

  const cov = extremes(cols, (c) => c.channel!.coverage);
  if (cov && cov.hiV - cov.loV >= 0.3) {
    const lo = cov.lo.channel!;
    const polling = lo.mode === 'short-poll' || lo.mode === 'long-poll';
    const wait = polling
      ? lo.pollIntervalMs !== null
        ? `, so a new message waits on the server for the next poll (every ${formatDuration(lo.pollIntervalMs)})`
        : ', so a new message waits on the server for the next request'
      : '';
    out.push({ weight: 30 + (cov.hiV - cov.loV) * 10, text: `${cov.lo.name} has a connection open only ${formatPercent(cov.loV)} of the time (${cov.hi.name}: ${formatPercent(cov.hiV)})${wait}.` });
  }

  const hold = extremes(cols, (c) => c.channel!.holdMs?.median ?? null);
  if (hold && hold.hiV >= 1000 && hold.loV < 1000) {
    out.push({ weight: 25, text: `${hold.hi.name}'s server keeps each response open for ${formatDuration(hold.hiV)} (median); ${hold.lo.name}'s answers in ${formatDuration(hold.loV)}.` });
  } else if (hold && hold.loV > 0 && hold.hiV / hold.loV >= 2) {
    out.push({ weight: 20, text: `${hold.hi.name} holds responses ${times(hold.hiV / hold.loV)} longer than ${hold.lo.name} (median ${formatDuration(hold.hiV)} vs ${formatDuration(hold.loV)}).` });
  }

  const to = extremes(cols, (c) => c.channel!.timeoutMs);
  if (to && to.loV > 0 && to.hiV / to.loV >= 1.5) {
    out.push({ weight: 18, text: `Server timeouts differ: ${to.hi.name} ${formatDuration(to.hiV)}, ${to.lo.name} ${formatDuration(to.loV)}.` });
  }

  const troubled = cols.filter((c) => c.channel!.errors > 0 || c.channel!.reconnect.count > 0);
  if (troubled.length > 0 && troubled.length < cols.length) {
    const parts = troubled.map((c) => {
      const ch = c.channel!;
      const bits = [ch.errors > 0 ? plural(ch.errors, 'failed request') : null, ch.reconnect.count > 0 ? `${plural(ch.reconnect.count, 'reconnect')} (${ch.reconnect.pattern})` : null].filter(Boolean);
      return `${c.name} has ${bits.join(' and ')}`;
    });
    const calm = cols.filter((c) => !troubled.includes(c)).map((c) => c.name);
    out.push({ weight: 15, text: `${parts.join('; ')}; ${list(calm)} ${calm.length === 1 ? 'has' : 'have'} none.` });
  }

  const gap = extremes(cols, (c) => c.figures!.longestGapMs ?? 0);
  if (gap && gap.hiV >= 1000 && gap.hiV >= 2 * gap.loV) {
    out.push({ weight: 12, text: `${gap.hi.name} goes ${formatDuration(gap.hiV)} at most with no connection open${gap.loV > 0 ? ` (${gap.lo.name}: ${formatDuration(gap.loV)})` : ` (${gap.lo.name}: never over a second)`}.` });
  }

  return out
    .map((s, i) => ({ ...s, i }))
    .sort((a, b) => b.weight - a.weight || a.i - b.i)
    .slice(0, 6)
    .map((s) => s.text);
}

function list(names: string[]): string {
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

/** The comparison as JSON: numbers for machines beside the rows people read. */
export function comparisonJson(cmp: Comparison, tool: { name: string; version: string }): unknown {
  return {
    schemaVersion: 1,
    kind: 'comparison',
    tool,
    captures: cmp.columns.map((c) => ({
      file: c.file,
      durationMs: c.durationMs,
      channel: c.channel,
      figures: c.figures,
      otherChannels: c.others.map((o) => ({ id: o.id, label: o.label, endpoint: o.endpoint, requests: o.requests })),
    })),
    rows: cmp.rows,
    differences: cmp.differences,
  };
}
