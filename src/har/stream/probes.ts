// Questions a spilled text answers without being read back (har/peek.ts asks them). Each is the test a protocol
// module makes before it parses a body or a frame, so a "no" here is the module's own "no"; a module that changes
// its test must change its probe (test/stream/peek.test.ts holds each probe to its module's verdict). Like the kept
// headers (retain.ts), the list names what later stages read, because har/ may not import them.
//
// A text is looked at once, when it is spilled, and only for the probes asked of its kind: on a 1 GB capture with
// bodies, the spilled texts are ~120 million characters, and each substring search over them costs 10–120 ms.

export type TextKind = 'body' | 'frame';

interface Probe {
  /** Which texts it is asked of. */
  kinds: readonly TextKind[];
  /** The test can pass only on a text that holds one of these (they make one quick screen for all probes). */
  needles: readonly string[];
  /** ... and, when given, one of these as well. */
  also?: readonly string[];
  /** True when the module's test could pass on this text; without it, holding the needles is the test. */
  test?: (s: string) => boolean;
}

export const PROBES = {
  /** Bayeux (protocols/bayeux.ts): every message names its channel. */
  bayeux: { kinds: ['body'], needles: ['"channel"'] },
  /** BOSH (protocols/bosh.ts): a `<body>` wrapper with the httpbind namespace or a `rid`. */
  bosh: { kinds: ['body'], needles: ['<body'], also: ['httpbind', 'rid'] },
  /** An Engine.IO open packet (protocols/engine-common.ts): its JSON names the sid (or a \u escape could spell it). */
  eioOpen: { kinds: ['body', 'frame'], needles: ['"sid', '\\u'] },
  /** WebChannel's open chunk (protocols/webchannel.ts): `<length>\n[[0,["c",…`. */
  webchannel: { kinds: ['body'], needles: ['["c",'], test: (s) => /^\d+\n\[\[\d+,\["c",/.test(s) },
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

const NAMES = Object.keys(PROBES) as ProbeName[];
const KINDS: readonly TextKind[] = ['body', 'frame'];
/** Past this many matches of the screen in one text, the needles not yet seen are searched for one by one. */
const MATCHES = 32;

interface KindProbes {
  /** Bits of the probes asked of this kind of text; one not asked answers "maybe" (see SpilledText). */
  asked: number;
  /** The needles of this kind's probes, each once (bit i of a `found` mask for needles[i]). */
  needles: string[];
  /**
   * All the needles in one regular expression. One pass over a body finds which of them it holds several times
   * faster than a search per needle (measured on the 1 GB bench capture: 40 vs 180 ms for 68 MB of bodies); for
   * frames, JSON through and through, the searches were faster (60 vs 150 ms for 50 MB), so they go one by one.
   */
  screen: RegExp | null;
  /** The needles as they stand inside a JSON string in the capture's bytes (JSON.stringify's escapes), and their screen. */
  rawNeedles: string[];
  rawScreen: RegExp | null;
  /** Bits of the probes with a needle holding `/`, which a JSON writer may escape as `\/`. */
  slashed: number;
  /** Each probe's needles and `also` needles as masks over `needles`. */
  probes: { name: ProbeName; bit: number; needles: number; also: number; test: ((s: string) => boolean) | undefined }[];
}

const BY_KIND = new Map<TextKind, KindProbes>(
  KINDS.map((kind) => {
    const mine = NAMES.map((name, i) => ({ name, bit: 1 << i, p: PROBES[name] as Probe })).filter((x) => x.p.kinds.includes(kind));
    const needles = [...new Set(mine.flatMap((x) => [...x.p.needles, ...(x.p.also ?? [])]))];
    const mask = (list: readonly string[] | undefined): number => (list ?? []).reduce((m, n) => m | (1 << needles.indexOf(n)), 0);
    const rawNeedles = needles.map((n) => JSON.stringify(n).slice(1, -1));
    const escape = (n: string): string => n.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');
    return [
      kind,
      {
        asked: mine.reduce((bits, x) => bits | x.bit, 0),
        needles,
        screen: kind === 'body' ? new RegExp(needles.map(escape).join('|'), 'g') : null,
        rawNeedles,
        rawScreen: kind === 'body' ? new RegExp(rawNeedles.map(escape).join('|'), 'g') : null,
        slashed: mine.filter((x) => x.p.needles.some((n) => n.includes('/'))).reduce((bits, x) => bits | x.bit, 0),
        probes: mine.map((x) => ({ name: x.name, bit: x.bit, needles: mask(x.p.needles), also: mask(x.p.also), test: x.p.test })),
      },
    ];
  }),
);

/** Whether a text passes a probe (what a spilled text records; tests hold the modules to it). */
export function passes(name: ProbeName, s: string): boolean {
  const p: Probe = PROBES[name];
  const has = (list: readonly string[]): boolean => list.some((n) => s.includes(n));
  return has(p.needles) && (p.also === undefined || has(p.also)) && (p.test === undefined || p.test(s));
}

export function probeBit(name: ProbeName): number {
  return 1 << NAMES.indexOf(name);
}

/** Bits of the probes this text may pass: those it passes, and any not asked of its kind. */
export function probe(s: string, kind: TextKind): number {
  const k = BY_KIND.get(kind)!;
  const found = k.screen ? screened(s, k.screen, k.needles) : searched(s, k.needles, 0);
  let bits = ~k.asked;
  for (const p of k.probes) if (holds(p, found) && (p.test === undefined || p.test(s))) bits |= p.bit;
  return bits;
}

/**
 * Bits of the probes a text may pass, from the raw content of its JSON string (one byte a character: the needles are
 * ASCII). The text holds a needle where the raw content holds it escaped as JSON.stringify escapes it, unless the
 * writer escaped differently: any \u escape could spell any character, so then every probe may pass, and `\/` could
 * be the `/` of a needle. Probes with a test of their own may pass wherever their needles are.
 */
export function probeRaw(raw: string, kind: TextKind): number {
  if (raw.includes('\\u')) return -1;
  const k = BY_KIND.get(kind)!;
  const found = k.rawScreen ? screened(raw, k.rawScreen, k.rawNeedles) : searched(raw, k.rawNeedles, 0);
  let bits = ~k.asked;
  for (const p of k.probes) if (holds(p, found)) bits |= p.bit;
  if (k.slashed !== 0 && raw.includes('\\/')) bits |= k.slashed;
  return bits;
}

function holds(p: KindProbes['probes'][number], found: number): boolean {
  return (p.needles & found) !== 0 && (p.also === 0 || (p.also & found) !== 0);
}

/** The needles a text holds, by one pass of the screen (matches may overlap: each is looked for one character on). */
function screened(s: string, re: RegExp, needles: readonly string[]): number {
  const all = (1 << needles.length) - 1;
  let found = 0;
  re.lastIndex = 0;
  for (let matches = 0; found !== all; matches += 1) {
    if (matches === MATCHES) return searched(s, needles, found);
    const m = re.exec(s);
    if (m === null) break;
    found |= 1 << needles.indexOf(m[0]);
    re.lastIndex = m.index + 1;
  }
  return found;
}

/** The needles a text holds, searched for one by one, besides those already found. */
function searched(s: string, needles: readonly string[], found: number): number {
  let out = found;
  for (let i = 0; i < needles.length; i += 1) if ((out & (1 << i)) === 0 && s.includes(needles[i]!)) out |= 1 << i;
  return out;
}
