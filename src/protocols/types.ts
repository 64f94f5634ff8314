// What every protocol module provides (Lighthouse-audit style: a static `meta` plus pure functions over Exchanges).
// A module never sees a Channel or an Analysis: detect/ and measure/ ask it about single exchanges and frames, so
// each module can be tested alone with hand-written exchanges.
import type { Exchange, WsFrame } from '../model.js';

/** What one request does inside a protocol session. `send` requests carry client → server data and are not push. */
export type ProtocolRole = 'setup' | 'poll' | 'stream' | 'send' | 'upgrade' | 'teardown';

export interface ProtocolMeta {
  /** Report id (`protocol` in the JSON report). */
  id: string;
  /** Human name used in labels: "Socket.IO", "SockJS", "Bayeux". */
  name: string;
  description: string;
  /** The signals it recognises itself by, strongest first (documentation; `check --list-protocols` can print it). */
  signals: string[];
  /** What identifies one session (documentation). */
  sessionKey: string;
  /** Facts it can declare about itself (documentation). */
  declares: string[];
}

export interface Recognition {
  /** 0..1: how sure this one exchange is of the protocol (a handshake body ≈ 1, a path word ≈ 0.4). */
  score: number;
  /** Protocol (wire) version, when the exchange shows it. */
  version: string | null;
  /** Why, in words, for the channel's evidence. */
  evidence: string;
  /** Implementation/dialect, when the exchange shows it ("Faye", "CometD"). */
  flavour?: string;
}

/** What an observed figure a declared fact is compared with. */
export type Observed =
  /** The channel's long-poll timeout, else its longest hold. */
  | 'timeout'
  /** No poll may be held longer than this. */
  | 'max-hold'
  /** Median interval between the server's heartbeats (module's `heartbeats`). */
  | 'heartbeat'
  /** Median re-poll delay of the loop. */
  | 'repoll'
  /** First reconnect delay; largest reconnect delay; median reconnect delay. */
  | 'first-reconnect'
  | 'max-reconnect'
  | 'median-reconnect'
  /** Declared only: nothing in a capture can show it. */
  | 'none';

export interface DeclaredFact {
  /** Key in the report's `declared` object ("pingIntervalMs"). */
  key: string;
  valueMs: number;
  /** "Engine.IO handshake pingInterval", "socket.io-client default reconnectionDelay". */
  source: string;
  /** What is compared, in words: "server ping interval". */
  fact: string;
  observe: Observed;
  /** `near`: within tolerance either way; `at-most`: observed must not exceed declared (+ tolerance). */
  compare?: 'near' | 'at-most';
  /** Relative tolerance (default 0.1) plus an absolute slack in ms for round trips and timers (default 500). */
  tolerance?: number;
  slackMs?: number;
  /** A library default rather than something the server said: shown only when the capture shows the figure. */
  onlyIfObserved?: boolean;
}

/** Messages decoded from a body or frames, by kind. */
export interface Decoded {
  /** Application messages (what users count as "messages"). */
  data: number;
  /** Keep-alives: pings, pongs, heartbeats, noops. */
  heartbeat: number;
  /** Protocol bookkeeping: open, close, connect acks, upgrade probes. */
  control: number;
}

export type FrameKind = keyof Decoded;

export interface ProtocolModule {
  meta: ProtocolMeta;
  /** Does this exchange belong to the protocol? null when it shows nothing of it. */
  recognise(ex: Exchange): Recognition | null;
  /** The request's job in the session; null when unknown (then the channel's mode decides). */
  roleOf?(ex: Exchange): ProtocolRole | null;
  /** The session this exchange belongs to (sid, clientId, connectionToken…); null before one exists. */
  sessionOf?(ex: Exchange): string | null;
  /** An answer that carried no application data (the server's timeout, a heartbeat-only answer). */
  idle?(ex: Exchange): boolean | null;
  /** Messages in an HTTP body. */
  decode?(ex: Exchange): Decoded | null;
  /** One WebSocket frame's kind; null when it is not this protocol's frame. */
  frameKind?(frame: WsFrame): FrameKind | null;
  /** Epoch ms at which the server's heartbeats were seen (frame times, or the end of an answer carrying one). */
  heartbeats?(ex: Exchange): number[];
  /** What the protocol announced (handshake bodies) or defines as its defaults, from all the channel's exchanges. */
  declared?(exchanges: readonly Exchange[]): DeclaredFact[];
  /** Non-duration facts for the report's `declared` object (transports offered, limits). */
  declaredInfo?(exchanges: readonly Exchange[]): Record<string, unknown>;
  /** Plain sentences on what the protocol told this channel's client that the figures alone do not say. */
  remarks?(exchanges: readonly Exchange[]): string[];
  /** Replaces the grouping key (e.g. Bayeux: connects apart from handshakes on one URL); null keeps the default. */
  groupKey?(ex: Exchange, defaultKey: string): string | null;
}

export const EMPTY_DECODED: Decoded = { data: 0, heartbeat: 0, control: 0 };

export function addDecoded(a: Decoded, b: Decoded): Decoded {
  return { data: a.data + b.data, heartbeat: a.heartbeat + b.heartbeat, control: a.control + b.control };
}
