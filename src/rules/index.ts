// Every rule `check` knows, in the order --list-rules prints them.
import allowedModes from './allowed-modes.js';
import declaredMatchesObserved from './declared-matches-observed.js';
import expectProtocol from './expect-protocol.js';
import forbiddenModes from './forbidden-modes.js';
import maxConcurrentPerChannel from './max-concurrent-per-channel.js';
import maxErrors from './max-errors.js';
import maxGap from './max-gap.js';
import maxHold from './max-hold.js';
import maxPollRate from './max-poll-rate.js';
import maxReconnectsPerMinute from './max-reconnects-per-minute.js';
import minHold from './min-hold.js';
import noOpenAtEnd from './no-open-at-end.js';
import requireBackoff from './require-backoff.js';
import type { Rule } from './types.js';

// Each rule's options type is its own; the registry only needs their common shape.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyRule = Rule<any>;

export const RULES: readonly AnyRule[] = [
  minHold,
  maxHold,
  maxPollRate,
  maxGap,
  requireBackoff,
  maxReconnectsPerMinute,
  maxConcurrentPerChannel,
  allowedModes,
  forbiddenModes,
  expectProtocol,
  declaredMatchesObserved,
  maxErrors,
  noOpenAtEnd,
];

export const RULES_BY_ID: ReadonlyMap<string, AnyRule> = new Map(RULES.map((r) => [r.meta.id, r]));
