// The lanes a timeline draws (terminal, HTML, JSON): one per push channel, ordinary traffic folded into one lane
// (or one per host, or hidden), each request with its outcome and the details a hover shows, redacted.
import type { Analysis, Channel, Exchange } from '../model.js';
import { plural } from './format.js';
import { ordinaryMarks, requestMarks, type Outcome, type RequestMark } from '../measure/summary.js';
import { shortEndpoint } from './compare.js';
import type { Redactor } from './redaction.js';

export type OrdinaryMode = 'fold' | 'hide' | 'by-host';

export interface LaneRequest {
  method: string;
  /** Redacted unless --no-redact. */
  url: string;
  phase: string;
  outcome: Outcome;
  status: number;
  state: string;
  /** Epoch ms. */
  start: number;
  firstByte: number | null;
  end: number;
  reconnectGapMs: number | null;
  /** Epoch ms of the messages the capture dates (WebSocket frames received, recorded SSE events). */
  dataTimes: number[];
  bytes: number;
  headerBytes: number;
}

export interface Lane {
  id: string;
  /** "c1 iframe streaming", "ordinary traffic", "ordinary: cdn.example". */
  title: string;
  kind: 'channel' | 'ordinary';
  /** The endpoint (channels) or host (ordinary), for the key under the drawing. */
  detail: string;
  requests: LaneRequest[];
}

export interface TimelineModel {
  file: string;
  /** Epoch ms of the capture's first and last moment (null when the capture has no plausible times). */
  start: number | null;
  end: number | null;
  lanes: Lane[];
}

export interface LaneOptions {
  ordinary: OrdinaryMode;
  redact: Redactor;
}

/** Lanes of one analysis (one capture, or several analysed together). */
export function buildTimeline(analysis: Analysis, channels: readonly Channel[], ordinary: readonly Exchange[], options: LaneOptions): TimelineModel {
  const captureEnds = new Map<number, number>();
  const note = (ex: Exchange): void => {
    captureEnds.set(ex.input, Math.max(captureEnds.get(ex.input) ?? -Infinity, ex.end));
  };
  for (const ch of channels) ch.exchanges.forEach(note);
  ordinary.forEach(note);
  const endOf = (ex: Exchange): number => captureEnds.get(ex.input) ?? ex.end;

  const lanes: Lane[] = channels.map((ch) => ({
    id: ch.report.id,
    title: `${ch.report.id} ${ch.report.label}`,
    kind: 'channel',
    detail: ch.report.endpoint,
    requests: requestMarks(ch, endOf(ch.exchanges[0]!)).map((m) => laneRequest(m, options.redact)),
  }));
  if (options.ordinary !== 'hide' && ordinary.length > 0) {
    const groups = new Map<string, Exchange[]>();
    for (const ex of ordinary) {
      const key = options.ordinary === 'by-host' ? hostOf(ex.url) : '';
      groups.set(key, [...(groups.get(key) ?? []), ex]);
    }
    let n = 0;
    for (const [host, list] of [...groups].sort((a, b) => a[0].localeCompare(b[0]))) {
      n++;
      const marks = list.map((ex) => ordinaryMarks([ex], endOf(ex))[0]!);
      lanes.push({
        id: options.ordinary === 'by-host' ? `o${n}` : 'ordinary',
        title: options.ordinary === 'by-host' ? `ordinary ${host}` : 'ordinary traffic',
        kind: 'ordinary',
        detail: options.ordinary === 'by-host' ? `${plural(list.length, 'request')} to ${host}` : `${plural(list.length, 'request')} that belong${list.length === 1 ? 's' : ''} to no push channel`,
        requests: marks.map((m) => laneRequest(m, options.redact)),
      });
    }
  }
  return {
    file: analysis.inputs.map((i) => i.file).join(', '),
    start: analysis.capture.start ? Date.parse(analysis.capture.start) : null,
    end: analysis.capture.end ? Date.parse(analysis.capture.end) : null,
    lanes,
  };
}

function laneRequest(m: RequestMark, r: Redactor): LaneRequest {
  const ex = m.exchange;
  return {
    method: ex.method,
    url: r.url(ex.url),
    phase: m.phase,
    outcome: m.outcome,
    status: ex.status,
    state: ex.state,
    start: m.start,
    firstByte: m.firstByte,
    end: m.end,
    reconnectGapMs: m.reconnectGapMs === null ? null : Math.round(m.reconnectGapMs),
    dataTimes: m.dataTimes,
    bytes: ex.responseBodyBytes,
    headerBytes: ex.requestHeaderBytes + ex.responseHeaderBytes,
  };
}

function hostOf(url: string): string {
  return /^[a-z][a-z0-9+.-]*:\/\/([^/?#]+)/i.exec(url)?.[1]?.replace(/^[^@]*@/, '') ?? '(no host)';
}

/** Lane title for the key: "c1 iframe streaming  GET /comet/stream?uid=…". */
export function laneKey(lane: Lane): string {
  return lane.kind === 'channel' ? `${lane.title}  ${shortEndpoint(lane.detail)}` : `${lane.title}  ${lane.detail}`;
}

export const OUTCOME_WORDS: Record<Outcome, string> = {
  data: 'answered with data',
  empty: 'empty answer (timeout)',
  unknown: 'answered (body or end not recorded)',
  error: 'error',
  aborted: 'aborted',
  open: 'still open at capture end',
};

/** The timeline as JSON (times as offsets from the capture start, so two runs compare). */
export function timelineJson(models: readonly TimelineModel[], tool: { name: string; version: string }, window?: { from: number | null; to: number | null }): unknown {
  return {
    schemaVersion: 1,
    kind: 'timeline',
    tool,
    captures: models.map((m) => {
      const t0 = m.start ?? 0;
      const rel = (t: number | null): number | null => (t === null ? null : Math.round(t - t0));
      return {
        file: m.file,
        start: m.start === null ? null : new Date(m.start).toISOString(),
        end: m.end === null ? null : new Date(m.end).toISOString(),
        window: window ? { fromMs: window.from, toMs: window.to } : null,
        lanes: m.lanes.map((l) => ({
          id: l.id,
          title: l.title,
          kind: l.kind,
          detail: l.detail,
          requests: l.requests
            .filter((q) => !window || inWindow(q, t0, window))
            .map((q) => ({
              method: q.method,
              url: q.url,
              phase: q.phase,
              outcome: q.outcome,
              status: q.status,
              startMs: rel(q.start),
              firstByteMs: rel(q.firstByte),
              endMs: rel(q.end),
              durationMs: Math.round(q.end - q.start),
              reconnectGapMs: q.reconnectGapMs,
              messagesAtMs: q.dataTimes.map((t) => rel(t)),
              bodyBytes: q.bytes,
              headerBytes: q.headerBytes,
            })),
        })),
      };
    }),
  };
}

function inWindow(q: LaneRequest, t0: number, w: { from: number | null; to: number | null }): boolean {
  if (w.from !== null && q.end < t0 + w.from) return false;
  if (w.to !== null && q.start > t0 + w.to) return false;
  return true;
}
