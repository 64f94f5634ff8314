// Questions a spilled text answers without being read back (har/peek.ts asks them). Each is the test a protocol
// module makes before it parses a body or a frame, so a "no" here is the module's own "no"; a module that changes
// its test must change its probe (test/stream/peek.test.ts holds each probe to its module's verdict). Like the kept
// headers (retain.ts), the list names what later stages read, because har/ may not import them.
//
// A text is looked at once, when it is spilled, and only for the probes asked of its kind: on a 1 GB capture with
// bodies, the spilled texts are ~120 million characters, and each substring search over them cost 10–60 ms. One
// regular expression of all the needles finds the first one faster than any single search (~20 ms for the 70 MB of
// bodies of that capture); the text is then looked at again for the needles not found yet only.

export type TextKind = 'body' | 'frame';

interface Probe {
  /** Which texts it is asked of. */
  kinds: readonly TextKind[];
  /** The module's test can pass only on a text that holds one of these. */
  needles: readonly string[];
  /**
   * Where holding a needle is not the whole test: true when the module's test could pass. `raw` says that `s` is the
   * raw content of a JSON string (escapes and all) rather than the text; a test that cannot tell then says true.
   */
  test?: (s: string, raw: boolean) => boolean;
}

export const PROBES = {
  /** Bayeux (protocols/bayeux.ts): every message names its channel. */
  bayeux: { kinds: ['body'], needles: ['"channel"'] },
  /**
   * A Bayeux meta message (protocols/bayeux.ts): some string starts with `/meta`, its slashes maybe written `\/`, or a
   * \u escape could spell it. Only such an answer can make an exchange Bayeux when its request does not.
   */
  bayeuxMeta: { kinds: ['body'], needles: ['"/meta', '"\\/meta', '\\u'] },
  /** BOSH (protocols/bosh.ts): a `<body …>` tag with the httpbind namespace or a `rid`. */
  bosh: { kinds: ['body'], needles: ['<body'], test: (s) => boshTag(s) },
  /** An Engine.IO open packet (protocols/engine-common.ts): its JSON names the sid (or a \u escape could spell it). */
  eioOpen: { kinds: ['body', 'frame'], needles: ['"sid', '\\u'] },
  /** WebChannel's open chunk (protocols/webchannel.ts): `<length>\n[[0,["c",…`. */
  webchannel: { kinds: ['body'], needles: ['["c",'], test: (s, raw) => raw || /^\d+\n\[\[\d+,\["c",/.test(s) },
  /** Firebase long-poll scripts (protocols/firebase.ts). */
  firebase: { kinds: ['body'], needles: ['pLPCommand(', 'pRTLPCB('] },
  /** Lightstreamer's session answer (protocols/lightstreamer.ts): a CONOK line. */
  lightstreamer: { kinds: ['body'], needles: ['CONOK,'] },
  /** DWR's reply markers (protocols/legacy.ts). */
  dwr: { kinds: ['body'], needles: ['//#DWR-'] },
  /** APE's raw answers (protocols/legacy.ts). */
  ape: { kinds: ['body'], needles: ['"raw"'] },
  /** Meteor DDP (protocols/websocket-subprotocols.ts): a `"msg"` key, escaped inside SockJS frames (or a \u escape). */
  ddp: { kinds: ['frame'], needles: ['"msg"', '\\"msg\\"', '\\u'] },
  /** graphql-ws (protocols/websocket-subprotocols.ts): connection_init or connection_ack. */
  graphqlWs: { kinds: ['frame'], needles: ['connection_'] },
} satisfies Record<string, Probe>;

export type ProbeName = keyof typeof PROBES;

/**
 * BOSH reads the attributes of a `<body` tag, up to its `>`: some such tag must hold `httpbind` (its namespace) or
 * `rid`. Raw JSON content holds them as the text does (a `>` written as \u003e makes every probe pass: probeRaw).
 */
function boshTag(s: string): boolean {
  for (let i = s.indexOf('<body'); i >= 0; i = s.indexOf('<body', i + 5)) {
    const end = s.indexOf('>', i);
    if (end < 0) return false;
    const tag = s.slice(i, end);
    if (tag.includes('httpbind') || tag.includes('rid')) return true;
  }
  return false;
}

const NAMES = Object.keys(PROBES) as ProbeName[];
const KINDS: readonly TextKind[] = ['body', 'frame'];
/** Raw JSON content holding these may spell a needle otherwise than JSON.stringify would (see probeRaw). */
const ANY_ESCAPE = '\\u';
const SLASH_ESCAPE = '\\/';

interface KindProbes {
  /** Bits of the probes asked of this kind of text; one not asked answers "maybe" (see SpilledText). */
  asked: number;
  /** The needles of this kind's probes, each once (bit i of a `found` mask stands for needles[i]). */
  needles: string[];
  /**
   * The same needles as they stand inside a JSON string in the capture's bytes (JSON.stringify's escapes), then the
   * two escapes that could spell them otherwise (ANY_ESCAPE, SLASH_ESCAPE).
   */
  rawNeedles: string[];
  /** Bits of the probes with a needle holding `/`, which a JSON writer may escape as `\/`. */
  slashed: number;
  probes: { bit: number; needles: number; test: Probe['test'] }[];
}

const BY_KIND = new Map<TextKind, KindProbes>(
  KINDS.map((kind) => {
    const mine = NAMES.map((name, i) => ({ bit: 1 << i, p: PROBES[name] as Probe })).filter((x) => x.p.kinds.includes(kind));
    const needles = [...new Set(mine.flatMap((x) => x.p.needles))];
    return [
      kind,
      {
        asked: mine.reduce((bits, x) => bits | x.bit, 0),
        needles,
        rawNeedles: [...needles.map((n) => JSON.stringify(n).slice(1, -1)), ANY_ESCAPE, SLASH_ESCAPE],
        slashed: mine.filter((x) => x.p.needles.some((n) => n.includes('/'))).reduce((bits, x) => bits | x.bit, 0),
        probes: mine.map((x) => ({ bit: x.bit, needles: x.p.needles.reduce((m, n) => m | (1 << needles.indexOf(n)), 0), test: x.p.test })),
      },
    ];
  }),
);

/** Whether a text passes a probe (what a spilled text records; tests hold the modules to it). */
export function passes(name: ProbeName, s: string): boolean {
  const p: Probe = PROBES[name];
  return p.needles.some((n) => s.includes(n)) && (p.test === undefined || p.test(s, false));
}

const BITS = Object.fromEntries(NAMES.map((name, i) => [name, 1 << i])) as Record<ProbeName, number>;

/** The bit that stands for a probe in a SpilledText's answers (asked on every question a module asks). */
export function probeBit(name: ProbeName): number {
  return BITS[name];
}

/** Bits of the probes this text may pass: those it passes, and any not asked of its kind. */
export function probe(s: string, kind: TextKind): number {
  const k = BY_KIND.get(kind)!;
  return bitsOf(s, k, screened(s, k.needles, (1 << k.needles.length) - 1), false);
}

/**
 * Bits of the probes a text may pass, from the raw content of its JSON string (one byte a character: the needles are
 * ASCII). The text holds a needle where the raw content holds it escaped as JSON.stringify escapes it, unless the
 * writer escaped otherwise: any \u escape could spell any character, so then every probe may pass, and `\/` could
 * be the `/` of a needle.
 */
export function probeRaw(raw: string, kind: TextKind): number {
  const k = BY_KIND.get(kind)!;
  const n = k.needles.length;
  const found = screened(raw, k.rawNeedles, (1 << (n + 2)) - 1, 1 << n);
  if ((found & (1 << n)) !== 0) return -1;
  const bits = bitsOf(raw, k, found, true);
  return (found & (1 << (n + 1))) !== 0 ? bits | k.slashed : bits;
}

function bitsOf(s: string, k: KindProbes, found: number, raw: boolean): number {
  let bits = ~k.asked;
  for (const p of k.probes) if ((p.needles & found) !== 0 && (p.test === undefined || p.test(s, raw))) bits |= p.bit;
  return bits;
}

/**
 * The needles in `all` (a mask) that a text holds. Each match of the screen names a needle, and the text is looked at
 * again, one character on (needles may overlap), for the needles not found yet only: one needle matched over and
 * over costs nothing more. Finding one in `stop` ends the search.
 */
function screened(s: string, needles: readonly string[], all: number, stop = 0): number {
  let found = 0;
  let from = 0;
  while (found !== all && (found & stop) === 0) {
    const re = screenOf(needles, all & ~found);
    re.lastIndex = from;
    const m = re.exec(s);
    if (m === null) break;
    found |= 1 << needles.indexOf(m[0]);
    from = m.index + 1;
  }
  return found;
}

/** Each set of needles met is compiled once (a handful per kind in practice). */
const screens = new Map<readonly string[], Map<number, RegExp>>();

function screenOf(needles: readonly string[], which: number): RegExp {
  let byMask = screens.get(needles);
  if (!byMask) screens.set(needles, (byMask = new Map()));
  let re = byMask.get(which);
  if (!re) {
    const escape = (n: string): string => n.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');
    re = new RegExp(
      needles
        .filter((_, i) => (which & (1 << i)) !== 0)
        .map(escape)
        .join('|'),
      'g',
    );
    byMask.set(which, re);
  }
  return re;
}
