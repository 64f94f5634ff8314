// Types shared by every stage of the pipeline (see DESIGN.md):
// har/ → Exchange → detect/ + protocols/ → Channel → measure/ → Analysis → report/ and rules/.
// No stage imports a later one; all of them import this file.

export interface Header {
  name: string;
  value: string;
}

/** Exporter-independent timing split, in ms. `null` means the exporter did not know (-1, null, missing, negative, NaN). */
export interface Timings {
  blocked: number | null;
  dns: number | null;
  /** Includes ssl, as the HAR spec says; ssl is never added on top. */
  connect: number | null;
  ssl: number | null;
  send: number | null;
  wait: number | null;
  receive: number | null;
}

/**
 * What became of a request by the time the capture was written.
 * - complete: a response arrived and finished.
 * - aborted: the client gave up (net::ERR_ABORTED, _wasAborted, HttpWatch "(Aborted)").
 * - failed: the request failed for another reason (DNS, connection reset, …), or the exporter recorded no response with an error.
 * - open: no response yet when the capture stopped (Playwright placeholders, status 0 without error). An open long-poll or stream is not an error.
 */
export type ExchangeState = 'complete' | 'aborted' | 'failed' | 'open';

export interface WsFrame {
  /** Epoch ms. */
  time: number;
  direction: 'send' | 'receive';
  /** 1 text, 2 binary, 8 close, 9 ping, 10 pong. */
  opcode: number;
  data: string;
}

/** An SSE event the exporter recorded itself (`_eventSourceMessages`); events parsed from bodies are measured later. */
export interface ExportedSseEvent {
  /** Epoch ms, or null when the exporter gave none. */
  time: number | null;
  event: string;
  data: string;
  id: string | null;
}

export interface Exchange {
  /** Position in the capture after sorting by start time (0-based). */
  index: number;
  /** Index of the input capture this came from (several captures can be analysed together). */
  input: number;
  method: string;
  url: string;
  /** Epoch ms at which the request started. */
  start: number;
  /** Epoch ms at which the response completed; for open requests, the last moment the capture knows of. */
  end: number;
  /** end - start, never negative. */
  duration: number;
  timings: Timings;
  /** HTTP status, 0 when there is none (failed, aborted or open). */
  status: number;
  statusText: string;
  state: ExchangeState;
  /** Exporter's error text (`_error`, `_failureText`), if any. */
  error: string | null;
  httpVersion: string;
  /** Exporter's `_resourceType` (Chrome, mitmproxy), lower-cased, or null. */
  resourceType: string | null;
  /** Response content type without parameters, lower-cased ('' when unknown). */
  mimeType: string;
  requestHeaders: Header[];
  responseHeaders: Header[];
  requestBody: string | null;
  /** Response body as text (base64 decoded when it is text); null when the capture has none. */
  responseBody: string | null;
  /** Request header bytes (exporter's headersSize, else estimated from the headers). */
  requestHeaderBytes: number;
  responseHeaderBytes: number;
  /** Response body bytes on the wire if known, else content size, else body text length; 0 when unknown. */
  responseBodyBytes: number;
  /** WebSocket frames, or null when the exporter wrote none. */
  wsFrames: WsFrame[] | null;
  /** SSE events written by the exporter (cypress-har-generator), or null. */
  sseEvents: ExportedSseEvent[] | null;
  /** HTTP/2 server push (`_was_pushed`): preload, never comet. */
  pushed: boolean;
  fromCache: boolean;
  pageref: string | null;
  /** Exporter's connection id/port, if any. */
  connection: string | null;
}

export interface Creator {
  name: string;
  version: string;
}

/** Known exporters, recognised from creator.name; decides which quirks to expect. */
export type ExporterKind =
  | 'chrome'
  | 'firefox'
  | 'safari'
  | 'playwright'
  | 'chrome-har'
  | 'mitmproxy'
  | 'browsermob'
  | 'fiddler'
  | 'charles'
  | 'httpwatch'
  | 'webpagetest'
  | 'firebug'
  | 'other';

/** One counted, deduplicated warning about the capture. */
export interface CaptureWarning {
  code: string;
  message: string;
  count: number;
}

export interface InputSummary {
  file: string;
  creator: string;
  exporter: ExporterKind;
  harVersion: string | null;
  entries: number;
  pages: number;
  /** True when the file was cut off mid-write and only complete entries were recovered. */
  truncated: boolean;
  warnings: string[];
}

export interface Capture {
  summary: InputSummary;
  warnings: CaptureWarning[];
  exchanges: Exchange[];
}

// ---- Analysis (the JSON report contract, DESIGN.md, schemaVersion 1) ----

export type Mode = 'short-poll' | 'long-poll' | 'stream' | 'websocket';
export type Carrier = 'xhr' | 'script' | 'iframe' | 'eventsource' | 'websocket' | 'other';
export type PhaseKind = 'setup' | 'poll' | 'stream' | 'reconnect' | 'upgrade' | 'teardown';
export type ReconnectPattern = 'none' | 'immediate' | 'fixed' | 'linear' | 'exponential' | 'irregular';

export interface Distribution {
  min: number;
  median: number;
  p95: number;
  max: number;
}

export interface Gap {
  start: string;
  durationMs: number;
}

export interface Phase {
  kind: PhaseKind;
  start: string;
  end: string;
  requests: number;
}

export interface ChannelReport {
  id: string;
  endpoint: string;
  mode: Mode;
  carrier: Carrier;
  protocol: string;
  protocolVersion: string | null;
  label: string;
  confidence: number;
  evidence: string[];
  requests: number;
  errors: number;
  pendingAtEnd: number;
  holdMs: Distribution | null;
  timeoutMs: number | null;
  pollIntervalMs: number | null;
  repollDelayMs: { median: number; max: number } | null;
  reconnect: { pattern: ReconnectPattern; count: number; delaysMs: number[] };
  coverage: number;
  gaps: Gap[];
  messages: number | null;
  declared: Record<string, unknown>;
  phases: Phase[];
  /** Additive: requests and header bytes spent per message delivered, where messages could be counted. */
  overhead?: { requestsPerMessage: number | null; headerBytesPerMessage: number | null } | null;
  /** Additive: how long each request still open at capture end had been open ("open ≥ N s"), in ms. */
  openAtEndMs?: number[];
  /** Additive: caveats about what the capture can show for this channel (e.g. exporter dropped in-flight requests). */
  warnings?: string[];
  /** Additive: what the protocol announced beside what the capture shows; disagreements are what users hunt. */
  declaredVsObserved?: DeclaredCheck[];
  /**
   * Additive: the protocol sessions this channel carried (a new sid / clientId / connectionToken / SockJS session is a
   * new session), in order. Present only when a protocol with session ids was recognised.
   */
  sessions?: SessionReport[];
  /**
   * Additive: other channels carrying the same protocol session(s), e.g. the WebSocket a polling channel upgraded to,
   * or the same client's change of transport: a WebSocket that never connected and the polling it fell back to.
   */
  linkedChannels?: string[];
  /** Additive: decoded protocol messages by kind, where bodies or frames could be decoded (`messages` = data). */
  messageTypes?: { data: number; heartbeat: number; control: number };
  /**
   * Additive: present when the same poll ran in several loops at once (a listener registered twice, two tabs in one
   * capture): how many. pollIntervalMs and repollDelayMs are then those within each loop, so the channel as a whole
   * polls `loops` times as often as pollIntervalMs alone says.
   */
  loops?: number;
  /** Additive: the protocol's send requests (client → server: Engine.IO POST, SockJS xhr_send, Bayeux publish). */
  sends?: number;
}

/** One protocol session inside a channel. Ids are ordinals ("s1"): the protocol's own id is a secret. */
export interface SessionReport {
  id: string;
  start: string;
  end: string;
  /** Requests (or connections) of this channel in the session, including its setup. */
  requests: number;
  /**
   * `reconnect`: opened after the previous session (or a failed attempt) was lost; `first` otherwise (the first, or a
   * session opened beside one still open: a second WebSocket, another tab's polling session).
   */
  opened: 'first' | 'reconnect';
  /** For reconnects: from the end of what came before to this session's first request. */
  delayMs: number | null;
  /** Failed attempts (refused handshakes) between the previous session and this one. */
  failedAttempts: number;
  /** Streams re-opened on the same session (SockJS 128 KiB, Lightstreamer LOOP, WebChannel AID): not reconnects. */
  rotations: number;
}

/**
 * A detected channel with the exchanges it was built from, for renderers that draw each request (timeline).
 * Not part of the JSON report.
 */
export interface Channel {
  report: ChannelReport;
  /** In start order, including attached setup and teardown requests. */
  exchanges: Exchange[];
  /** The phase of each exchange, parallel to `exchanges`. */
  phaseOf: PhaseKind[];
  /**
   * The protocol's session ids seen on this channel (SockJS session, Bayeux clientId, Engine.IO sid…): secrets,
   * which reports hide wherever they quote the capture's URLs (report/redaction.ts hidingSessions).
   */
  sessionIds?: string[];
}

/**
 * One fact a protocol announced about itself, beside what the capture shows (issue: declared vs observed).
 * E.g. Engine.IO pingInterval 25000 vs median hold 24 900; Bayeux advice.timeout 30000 vs holds of 60 s.
 */
export interface DeclaredCheck {
  /** What is compared, in words: "long-poll timeout", "SSE retry". */
  fact: string;
  /** Where the declared value comes from: "Engine.IO handshake pingInterval", "Bayeux advice.timeout". */
  source: string;
  declaredMs: number;
  /** What the capture shows, or null when it cannot be seen. */
  observedMs: number | null;
  /** Within tolerance (true), disagreeing (false), or not observable (null). */
  agrees: boolean | null;
}

export type Severity = 'error' | 'warn';

export interface Finding {
  rule: string;
  severity: Severity;
  channel: string | null;
  message: string;
  // Additive fields written by `check` (rules/): each finding is one rule × channel, passing or not.
  /** pass: the rule held; fail: it broke, or its figure was missing; skip: missing but the rule is optional. */
  status?: 'pass' | 'fail' | 'skip';
  /** The measured figure, in `unit` (ms, requests per minute, a count) or words (a mode); null when missing. */
  measured?: number | string | (number | string | null)[] | null;
  /** The limit it was held to, in the same unit. */
  limit?: number | string | (number | string | null)[] | null;
  unit?: 'ms' | 'per-minute' | 'count';
  /** Where the policy set the rule: "rules.min-hold[1]", "--max-poll-rate". */
  source?: string;
}

export interface CaptureSummary {
  /** Per input: entries by resource type and by state, for the plain text summary. */
  byType: Record<string, number>;
  byState: Record<ExchangeState, number>;
}

export interface Analysis {
  schemaVersion: 1;
  tool: { name: string; version: string };
  inputs: InputSummary[];
  capture: { start: string | null; end: string | null; durationMs: number };
  /** Entry counts by resource type and state (additive field). */
  traffic: CaptureSummary;
  channels: ChannelReport[];
  findings: Finding[];
}
