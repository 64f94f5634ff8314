// The timeline in the terminal: one lane per push channel, time across the width, one mark per request state.
// Marks differ by shape, not only by colour, so the drawing reads the same with NO_COLOR or in a log file.
import { Chalk, type ChalkInstance } from 'chalk';
import type { Outcome } from '../measure/summary.js';
import { formatDuration, tickLabel, tickStep } from './format.js';
import { laneKey, type Lane, type LaneRequest, type TimelineModel } from './lanes.js';
import { maxOf } from '../measure/stats.js';

export interface TimelineTextOptions {
  /** Total width in columns (process.stdout.columns, 80 when not a terminal). */
  width: number;
  color: boolean;
  /** Zoom window as offsets from the capture start, in ms. */
  from?: number | null;
  to?: number | null;
}

type Style = 'hold' | 'receive' | Outcome | 'gap' | 'axis';

export const GLYPH = {
  hold: '─',
  receive: '═',
  data: '●',
  empty: '○',
  unknown: '┤',
  error: '×',
  aborted: '×',
  open: '▶',
  gap: '·',
} as const;

const LEGEND: [string, Style, string][] = [
  [GLYPH.hold, 'hold', 'waiting (held by the server)'],
  [GLYPH.receive, 'receive', 'receiving (stream open)'],
  [GLYPH.data, 'data', 'data (an answer or a message)'],
  [GLYPH.empty, 'empty', 'empty answer (timeout)'],
  [GLYPH.unknown, 'unknown', 'answered (body or end not recorded)'],
  [GLYPH.error, 'error', 'error / abort'],
  [GLYPH.open, 'open', 'still open at capture end'],
  [GLYPH.gap, 'gap', 'gap before a reconnect'],
];

/** At most this many rows per channel lane for overlapping requests; more overlap is drawn on the last row. */
const MAX_ROWS = 4;

export function renderTimelineText(models: readonly TimelineModel[], options: TimelineTextOptions): string {
  return models.map((m) => renderOne(m, options)).join('\n');
}

function renderOne(model: TimelineModel, options: TimelineTextOptions): string {
  const c = new Chalk({ level: options.color ? 1 : 0 });
  const width = Math.max(40, options.width);
  const out: string[] = [];
  if (model.start === null || model.end === null) {
    out.push(`${c.bold('Timeline')}  ${model.file}`, 'No timed requests to draw.');
    return out.join('\n') + '\n';
  }
  const t0 = model.start + Math.max(0, options.from ?? 0);
  const t1 = Math.min(model.end, options.to !== null && options.to !== undefined ? model.start + options.to : model.end);
  const longest = Math.max(0, maxOf(model.lanes.map((l) => l.title.length)));
  const labelW = Math.max(12, Math.min(longest + 2, Math.floor(width * 0.3)));
  const plotW = width - labelW - 1;
  const span = Math.max(1, t1 - t0);
  const cellMs = span / plotW;
  const zoomed = t0 > model.start || t1 < model.end;
  out.push(
    `${c.bold('Timeline')}  ${model.file}  ${new Date(model.start).toISOString()} + ${formatDuration(model.end - model.start)}` +
      (zoomed ? `  ${c.yellow(`zoomed to ${formatDuration(t0 - model.start)}–${formatDuration(t1 - model.start)}`)}` : ''),
  );
  out.push(c.dim(`one column ≈ ${formatDuration(cellMs)}`));
  out.push('');
  if (model.lanes.length === 0) out.push('No push channels found: this capture shows only ordinary request/response traffic.');

  const cellOf = (t: number): number => Math.min(plotW - 1, Math.max(0, Math.floor((t - t0) / cellMs)));
  for (const lane of model.lanes) {
    const rows = drawLane(lane, t0, t1, cellOf, cellMs, plotW);
    rows.forEach((row, i) => {
      const label = i === 0 ? fit(lane.title, labelW - 1) : '';
      const styled = lane.kind === 'ordinary' ? c.dim(label.padEnd(labelW - 1)) : c.bold(label.padEnd(labelW - 1));
      out.push(`${styled} │${paint(row, c)}`);
    });
  }
  out.push(...axis(labelW, plotW, t0 - model.start, span, c));
  out.push('');
  for (const lane of model.lanes) out.push(`  ${fit(laneKey(lane), width - 2)}`);
  out.push('', ...legend(width, c));
  return out.join('\n') + '\n';
}

interface CellMark {
  ch: string;
  style: Style;
}

function drawLane(lane: Lane, t0: number, t1: number, cellOf: (t: number) => number, cellMs: number, plotW: number): CellMark[][] {
  const rows: CellMark[][] = [];
  // Rows are shared by requests that do not overlap in time; two in one column show the more telling end mark.
  const lastEnd: number[] = [];
  const blank = (): CellMark[] => Array.from({ length: plotW }, () => ({ ch: ' ', style: 'axis' as Style }));
  const visible = lane.requests.filter((q) => q.end >= t0 && q.start <= t1);
  // Failures last, so a folded lane never hides one behind an ordinary success.
  const order = lane.kind === 'ordinary' ? [...visible].sort((a, b) => rank(a) - rank(b)) : visible;
  for (const q of order) {
    const s = cellOf(q.start);
    const e = cellOf(q.end);
    let r = 0;
    if (lane.kind === 'channel') {
      r = lastEnd.findIndex((end) => end <= q.start);
      if (r < 0) r = rows.length < MAX_ROWS ? rows.length : MAX_ROWS - 1;
    }
    while (rows.length <= r) {
      rows.push(blank());
      lastEnd.push(-Infinity);
    }
    const row = rows[r]!;
    lastEnd[r] = Math.max(lastEnd[r]!, q.end);
    if (q.reconnectGapMs !== null && q.reconnectGapMs >= cellMs) {
      for (let i = cellOf(q.start - q.reconnectGapMs); i < s; i++) if (row[i]!.ch === ' ') row[i] = { ch: GLYPH.gap, style: 'gap' };
    }
    const put = (i: number, m: CellMark): void => {
      if (weight(row[i]!.style) <= weight(m.style)) row[i] = m;
    };
    for (let i = s; i < e; i++) put(i, { ch: GLYPH.hold, style: 'hold' });
    if (q.firstByte !== null && q.end - q.firstByte >= cellMs) {
      for (let i = cellOf(q.firstByte); i < e; i++) put(i, { ch: GLYPH.receive, style: 'receive' });
    }
    for (const t of q.dataTimes) if (t >= t0 && t <= t1 && cellOf(t) < e) put(cellOf(t), { ch: GLYPH.data, style: 'data' });
    // Times in the analysis are whole ms; a request ending within 1 ms of the window's end ends inside it.
    const receiving = q.firstByte !== null && q.firstByte < t1;
    if (q.end <= t1 + 1) put(e, { ch: GLYPH[q.outcome], style: q.outcome });
    else put(e, { ch: receiving ? GLYPH.receive : GLYPH.hold, style: receiving ? 'receive' : 'hold' });
  }
  if (rows.length === 0) rows.push(blank());
  return rows;
}

/** Which mark wins a shared column: failures over open requests over answers over spans. */
function weight(style: Style): number {
  switch (style) {
    case 'error':
    case 'aborted':
      return 6;
    case 'open':
      return 5;
    case 'empty':
    case 'data':
    case 'unknown':
      return 4;
    case 'receive':
      return 3;
    case 'hold':
      return 2;
    case 'gap':
      return 1;
    default:
      return 0;
  }
}

function rank(q: LaneRequest): number {
  return q.outcome === 'error' || q.outcome === 'aborted' ? 2 : q.outcome === 'open' ? 1 : 0;
}

function colour(c: ChalkInstance, style: Style, text: string): string {
  switch (style) {
    case 'hold':
      return c.blue(text);
    case 'receive':
      return c.green(text);
    case 'data':
      return c.greenBright(text);
    case 'empty':
      return c.yellow(text);
    case 'unknown':
      return c.white(text);
    case 'error':
    case 'aborted':
      return c.redBright(text);
    case 'open':
      return c.magentaBright(text);
    case 'gap':
      return c.red(text);
    default:
      return c.dim(text);
  }
}

function paint(row: CellMark[], c: ChalkInstance): string {
  if (c.level === 0) return row.map((m) => m.ch).join('').trimEnd();
  let out = '';
  let i = 0;
  // Runs of one style in one escape sequence keep the output small.
  while (i < row.length) {
    let j = i;
    let run = '';
    while (j < row.length && row[j]!.style === row[i]!.style) run += row[j++]!.ch;
    out += row[i]!.ch === ' ' ? run : colour(c, row[i]!.style, run);
    i = j;
  }
  return out.trimEnd();
}

/** The axis helpers live in format.ts (the HTML report uses them without the terminal's colours). */
export { tickLabel, tickStep };

function axis(labelW: number, plotW: number, fromOffset: number, span: number, c: ChalkInstance): string[] {
  const step = tickStep(span, plotW);
  const line = Array.from({ length: plotW }, () => '─');
  const labels = Array.from({ length: plotW + 12 }, () => ' ');
  const first = Math.ceil(fromOffset / step) * step;
  let free = 0;
  for (let t = first; t <= fromOffset + span; t += step) {
    const col = Math.round(((t - fromOffset) / span) * plotW);
    if (col >= plotW) break;
    line[col] = '┬';
    const text = tickLabel(t, step);
    if (col < free || col + text.length > plotW + 8) continue;
    for (let k = 0; k < text.length; k++) labels[col + k] = text[k]!;
    free = col + text.length + 1;
  }
  return [`${' '.repeat(labelW)}└${c.dim(line.join(''))}`, `${' '.repeat(labelW + 1)}${labels.join('').trimEnd()}`];
}

function legend(width: number, c: ChalkInstance): string[] {
  const lines: string[] = [];
  let cur = '';
  let curLen = 0;
  for (const [glyph, style, words] of LEGEND) {
    const len = glyph.length + 1 + words.length;
    if (curLen > 0 && curLen + 3 + len > width) {
      lines.push(cur);
      cur = '';
      curLen = 0;
    }
    cur += `${curLen > 0 ? '   ' : ''}${colour(c, style, glyph)} ${words}`;
    curLen += (curLen > 0 ? 3 : 0) + len;
  }
  if (cur) lines.push(cur);
  return lines;
}

function fit(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, Math.max(0, width - 1))}…`;
}

/**
 * "--from 10s", "1m30s", "500ms", "2.5" (seconds), "1:30" (min:s): an offset from the capture start in ms, or null
 * when the text is none of these.
 */
export function parseOffset(text: string): number | null {
  const t = text.trim();
  if (/^\d+(\.\d+)?$/.test(t)) return Number(t) * 1000;
  const clock = /^(\d+):(\d{1,2}(?:\.\d+)?)$/.exec(t);
  if (clock) return (Number(clock[1]) * 60 + Number(clock[2])) * 1000;
  const re = /(\d+(?:\.\d+)?)\s*(ms|s|m|min|h)/gy;
  let total = 0;
  let pos = 0;
  let any = false;
  for (let m = re.exec(t); m; m = re.exec(t)) {
    const n = Number(m[1]);
    total += m[2] === 'ms' ? n : m[2] === 's' ? n * 1000 : m[2] === 'h' ? n * 3_600_000 : n * 60_000;
    pos = re.lastIndex;
    any = true;
  }
  return any && pos === t.length ? total : null;
}
