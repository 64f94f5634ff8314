// The protocol registry: every module, and the few questions detection asks of all of them at once.
import type { Exchange } from '../model.js';
import { bayeux } from './bayeux.js';
import { engineIo } from './engineio.js';
import { socketIo } from './socketio.js';
import { sockjs } from './sockjs.js';
import { OTHER_MODULES } from './others.js';
import type { ProtocolModule } from './types.js';

export type { ProtocolModule } from './types.js';

/** Order matters only for ties: more specific modules first. */
export const PROTOCOLS: readonly ProtocolModule[] = [socketIo, engineIo, sockjs, bayeux, ...OTHER_MODULES];

export function protocolById(id: string): ProtocolModule | null {
  return PROTOCOLS.find((p) => p.meta.id === id) ?? null;
}

export interface ProtocolFinding {
  module: ProtocolModule;
  version: string | null;
  /** Implementation or dialect when the capture shows it (Faye, CometD). */
  flavour: string | null;
  confidence: number;
  evidence: string[];
}

/** Total evidence a channel needs: one certain exchange (a handshake body), or two or three weaker ones. */
const MIN_TOTAL = 0.8;

/** Which protocol a channel's exchanges speak, if any: the module with the most evidence across them. */
export function identifyProtocol(exchanges: readonly Exchange[], modules: readonly ProtocolModule[] = PROTOCOLS): ProtocolFinding | null {
  type Tally = { module: ProtocolModule; total: number; max: number; versions: Map<string, number>; flavours: Map<string, number>; evidence: string[] };
  const tallies: Tally[] = modules.map((module) => ({ module, total: 0, max: 0, versions: new Map(), flavours: new Map(), evidence: [] }));
  // Exchange by exchange, every module in turn: what a module reads of an exchange (its parsed URL) is then still
  // at hand for the next module (see urlOf).
  const slots = slotsOf(modules);
  for (const ex of exchanges) {
    const known = slots ? answersOf(ex, slots) : null;
    for (let i = 0; i < tallies.length; i += 1) {
      const t = tallies[i]!;
      const r = known ? known[i]! : recognised(t.module, ex);
      if (!r) continue;
      t.total += r.score;
      t.max = Math.max(t.max, r.score);
      if (r.version) t.versions.set(r.version, (t.versions.get(r.version) ?? 0) + r.score);
      if (r.flavour) t.flavours.set(r.flavour, (t.flavours.get(r.flavour) ?? 0) + r.score);
      if (!t.evidence.includes(r.evidence)) t.evidence.push(r.evidence);
    }
  }
  let best: Tally | null = null;
  for (const t of tallies) {
    if (t.total < MIN_TOTAL) continue;
    if (!best || t.total > best.total) best = t;
  }
  if (!best) return null;
  const top = (m: Map<string, number>) => [...m.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? null;
  return {
    module: best.module,
    version: top(best.versions),
    flavour: top(best.flavours),
    confidence: Math.min(0.99, 0.6 + 0.4 * best.max),
    evidence: best.evidence.slice(0, 3),
  };
}

/** Grouping key from the first module that recognises the exchange and names one (see GroupOptions.keyOf). */
export function protocolGroupKey(ex: Exchange, defaultKey: string): string | null {
  const answers = answersOf(ex, KEYING_SLOTS);
  for (let i = 0; i < KEYING.length; i += 1) {
    if (!answers[i]) continue;
    const m = KEYING[i]!;
    const key = safe(() => m.groupKey!(ex, defaultKey));
    if (key) return key;
  }
  return null;
}

/** A protocol's send request (client → server) is never a push channel by itself. */
export function protocolSendReason(ex: Exchange): string | null {
  const answers = answersOf(ex, ROLES_SLOTS);
  for (let i = 0; i < ROLES.length; i += 1) {
    const r = answers[i];
    const m = ROLES[i]!;
    if (r && r.score >= 0.7 && safe(() => m.roleOf!(ex)) === 'send') return `${m.meta.name} send request`;
  }
  return null;
}

type Recognition = ReturnType<ProtocolModule['recognise']>;
// Grouping, send detection and naming each ask every module about every exchange; each answer is computed once.
// Nearly every answer is "no", so what is kept per exchange is a bit per registered module that has been asked (a
// small integer) and, only for exchanges some module recognised, the answers. (An array of answers per exchange
// was ~190 bytes for each of hundreds of thousands of requests in a long capture.) Modules outside the registry
// (tests) get a Map. The memo is looked up once per question about an exchange, not once per module.
const REGISTERED = PROTOCOLS.slice(0, 30); // bits of a small integer
const ORDINAL = new Map<ProtocolModule, number>(REGISTERED.map((m, i) => [m, i]));
const KEYING = REGISTERED.filter((m) => m.groupKey);
const ROLES = REGISTERED.filter((m) => m.roleOf);
/** Registry slots of a list of modules, or null when one is not registered. Worked out once per list: asking for
 * each module's slot on every exchange was millions of Map lookups on a long capture. */
function slotsOf(modules: readonly ProtocolModule[]): readonly number[] | null {
  const slots = modules.map((m) => ORDINAL.get(m) ?? -1);
  return slots.includes(-1) ? null : slots;
}
const KEYING_SLOTS = slotsOf(KEYING)!;
const ROLES_SLOTS = slotsOf(ROLES)!;
const askedBits = new WeakMap<Exchange, number>();
const answers = new WeakMap<Exchange, Recognition[]>();
const others = new WeakMap<Exchange, Map<ProtocolModule, Recognition>>();

/** A module's verdict on one exchange, memoised (modules are pure functions of the exchange). */
export function recognised(module: ProtocolModule, ex: Exchange): Recognition {
  const slot = ORDINAL.get(module);
  return slot !== undefined ? answersOf(ex, [slot])[0]! : recognisedOther(module, ex);
}

/** The verdicts of the registered modules in these slots on one exchange, in order; asks those not asked before. */
function answersOf(ex: Exchange, slots: readonly number[]): Recognition[] {
  const out = new Array<Recognition>(slots.length);
  let bits = askedBits.get(ex) ?? 0;
  let list = answers.get(ex);
  const before = bits;
  for (let i = 0; i < slots.length; i += 1) {
    const slot = slots[i]!;
    const module = REGISTERED[slot]!;
    const bit = 1 << slot;
    if ((bits & bit) !== 0) {
      out[i] = list?.[slot] ?? null;
      continue;
    }
    let r: Recognition;
    try {
      r = module.recognise(ex);
    } catch {
      r = null; // a module must never take the analysis down with it
    }
    bits |= bit;
    if (r !== null) {
      if (list === undefined) {
        list = [];
        answers.set(ex, list);
      }
      list[slot] = r;
    }
    out[i] = r;
  }
  if (bits !== before) askedBits.set(ex, bits);
  return out;
}

function recognisedOther(module: ProtocolModule, ex: Exchange): Recognition {
  let byModule = others.get(ex);
  if (!byModule) {
    byModule = new Map();
    others.set(ex, byModule);
  }
  if (byModule.has(module)) return byModule.get(module) ?? null;
  const r = safe(() => module.recognise(ex));
  byModule.set(module, r);
  return r;
}

/** A module must never take the analysis down with it: malformed bodies are the norm in captures. */
function safe<T>(f: () => T): T | null {
  try {
    return f();
  } catch {
    return null;
  }
}
