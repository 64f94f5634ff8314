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
  /** True when the module's test could pass on this text; without it, holding a needle is the test. */
  test?: (s: string) => boolean;
}

export const PROBES = {
  /** Bayeux (protocols/bayeux.ts): every message names its channel. */
  bayeux: { kinds: ['body'], needles: ['"channel"'] },
  /** BOSH (protocols/bosh.ts): a `<body>` wrapper with the httpbind namespace or a `rid`. */
  bosh: { kinds: ['body'], needles: ['<body'], test: (s) => s.includes('<body') && (s.includes('httpbind') || s.includes('rid')) },
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

interface KindProbes {
  /** Bits of the probes asked of this kind of text; one not asked answers "maybe" (see SpilledText). */
  asked: number;
  /**
   * Any needle of this kind's probes. One regular expression over a body is several times faster than a search per
   * needle (measured on the 1 GB bench capture: 40 vs 180 ms for 68 MB of bodies), and most texts hold none; for
   * frames, JSON through and through, the searches were faster (60 vs 150 ms for 50 MB), so they are made one by one.
   */
  screen: RegExp | null;
  probes: { bit: number; test: (s: string) => boolean }[];
}

const BY_KIND = new Map<TextKind, KindProbes>(
  KINDS.map((kind) => {
    const mine = NAMES.map((name, i) => ({ name, bit: 1 << i, p: PROBES[name] as Probe })).filter((x) => x.p.kinds.includes(kind));
    const needles = mine.flatMap((x) => x.p.needles);
    return [
      kind,
      {
        asked: mine.reduce((bits, x) => bits | x.bit, 0),
        screen: kind === 'body' ? new RegExp(needles.map((n) => n.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&')).join('|')) : null,
        probes: mine.map((x) => ({ bit: x.bit, test: (s: string) => passes(x.name, s) })),
      },
    ];
  }),
);

/** Whether a text passes a probe (what a spilled text records; tests hold the modules to it). */
export function passes(name: ProbeName, s: string): boolean {
  const p: Probe = PROBES[name];
  return p.test ? p.test(s) : p.needles.some((n) => s.includes(n));
}

export function probeBit(name: ProbeName): number {
  return 1 << NAMES.indexOf(name);
}

/** Bits of the probes this text may pass: those it passes, and any not asked of its kind. */
export function probe(s: string, kind: TextKind): number {
  const k = BY_KIND.get(kind)!;
  let bits = ~k.asked;
  if (k.screen && !k.screen.test(s)) return bits;
  for (const p of k.probes) if (p.test(s)) bits |= p.bit;
  return bits;
}
