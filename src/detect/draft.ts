// A channel while detection is still deciding about it: the group, its classification, and a role per exchange.
import type { Exchange, PhaseKind } from '../model.js';
import type { Classification } from './classify.js';
import type { Candidate } from './group.js';
import type { ProtocolFinding } from '../protocols/index.js';

export interface Member {
  ex: Exchange;
  /** Set for exchanges attached as setup or teardown, and for in-group handshakes; the rest get theirs from roles.ts. */
  role: PhaseKind | null;
}

export interface Draft {
  candidate: Candidate;
  result: Classification;
  members: Member[];
  /** Evidence added after classification (setup, upgrade, exporter warnings). */
  notes: string[];
  /** Another channel's id-to-be that this one upgraded to or from, filled in when ids are known. */
  upgradeTo: Draft | null;
  upgradeFrom: Draft | null;
  /** A WebSocket channel that never connected: the polling channel whose upgrade it was meant to be (linkUpgrades). */
  upgradeFailedOf: Draft | null;
  /** A polling channel: the WebSocket channels that never connected and were meant as its upgrade. */
  upgradeFailed: Draft[];
  /** WebSocket channels that never connected: the channels their clients fell back to (attach.ts linkFallbacks). */
  fellBackTo: Draft[];
  /** The WebSocket channel that never connected, for a channel its client fell back to. */
  fellBackFrom: Draft | null;
  /** Start of the upgrading WebSocket, for polling channels that were upgraded. */
  upgradeAt: number | null;
  /** The protocol the channel speaks, when a module recognised it (set by detectChannels). */
  protocol?: ProtocolFinding | null;
  /** The protocol's send requests that belong to this channel (not members: they are not push). */
  sends?: Exchange[];
}
