// A long body or frame that waits in the spill file answers the protocol modules' first questions without being read
// back (src/har/peek.ts, src/har/stream/probes.ts). Those answers must be the modules' own: every module gives the
// same verdicts on an exchange whose texts were spilled as on the same exchange in memory with no probe asked (here
// a text in memory passes every probe, so the module's whole test decides), and a long text that no module is
// looking for is never read back.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { isEmptyAnswer } from '../../src/detect/features.js';
import { lifetimeUnknown } from '../../src/detect/util.js';
import { dataHead, dataMay, hasResponseBody, responseMay, responseTrimmedAtLeast } from '../../src/har/peek.js';
import { PROBES, probe, probeBit } from '../../src/har/stream/probes.js';
import { SPILL_FROM, openSpill, type SpillFile } from '../../src/har/stream/spill.js';
import { StoredExchange, StoredFrame } from '../../src/har/stream/stored.js';
import type * as Probes from '../../src/har/stream/probes.js';
import type { Exchange, WsFrame } from '../../src/model.js';
import { PROTOCOLS } from '../../src/protocols/index.js';
import { exchange, frame, type ExchangeSpec } from '../helpers/exchange.js';

vi.mock('../../src/har/stream/probes.js', async (actual) => ({ ...(await actual<typeof Probes>()), passes: () => true }));
const { passes } = await vi.importActual<typeof Probes>('../../src/har/stream/probes.js');

const dir = mkdtempSync(join(tmpdir(), 'peek-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Long enough to be spilled. */
const pad = (n = SPILL_FROM + 200): string => ' '.repeat(n);
const filler = (n = 3000): string => JSON.stringify({ text: 'quote price update '.repeat(Math.ceil(n / 19)) });

/**
 * How a text goes to the spill file: decoded (SpillFile.put), or as the raw content of its JSON string
 * (SpillFile.putRaw), escaped as JSON.stringify escapes it, or as other writers may: every `"` and `<` as a \u
 * escape, or every `/` as `\/`.
 */
const WAYS = {
  decoded: null,
  raw: (s: string) => s,
  'raw, quotes as \\u0022': (s: string) => s.replace(/\\"/g, '\\u0022').replace(/</g, '\\u003c'),
  'raw, slashes as \\/': (s: string) => s.replace(/\//g, '\\/'),
} satisfies Record<string, ((escaped: string) => string) | null>;
type Way = keyof typeof WAYS;

/** The same exchange with its long texts in a spill file, as a large capture is read. */
function spilled(ex: Exchange, file: SpillFile, way: Way = 'decoded'): StoredExchange {
  const put = (s: string, kind: 'body' | 'frame') => {
    const escape = WAYS[way];
    if (escape === null) return file.put(s, kind);
    const raw = Buffer.from(escape(JSON.stringify(s).slice(1, -1)), 'utf8');
    return file.putRaw(raw, 0, raw.length, kind);
  };
  const text = (s: string | null) => (s === null ? null : (put(s, 'body') ?? s));
  return new StoredExchange(
    {
      ...ex,
      requestBody: text(ex.requestBody),
      responseBody: text(ex.responseBody),
      wsFrames: ex.wsFrames?.map((f) => {
        const t = put(f.data, 'frame');
        return t ? new StoredFrame(f.time, f.direction, f.opcode, t) : f;
      }) ?? null,
      order: 0,
      startGuessed: false,
      durationKnown: true,
    },
    ex.index,
    ex.end,
  );
}

const ws = (frames: WsFrame[], url = 'wss://example.test/socket'): ExchangeSpec => ({ url, status: 101, resourceType: 'websocket', mimeType: '', wsFrames: frames });
const eio4 = 'https://example.test/socket.io/?EIO=4&transport=polling&t=abc';

/** Long texts each module looks for, in the spellings it accepts, and near misses. */
const CASES: Record<string, ExchangeSpec> = {
  'bayeux handshake answer': { method: 'POST', url: 'https://example.test/cometd/handshake', requestBody: `[{"channel":"/meta/handshake","version":"1.0","ext":${filler()}}]`, responseBody: `[{"channel":"/meta/handshake","clientId":"c1","successful":true,"advice":{"timeout":30000},"ext":${filler()}}]` },
  'bayeux answer to a request without messages': { url: 'https://example.test/cometd/connect', responseBody: `[{"channel":"/meta/connect","successful":true,"advice":{"timeout":30000},"ext":${filler()}}]` },
  'bayeux answer with its slashes escaped': { url: 'https://example.test/cometd/connect', responseBody: `[{"channel":"\\/meta\\/connect","clientId":"c2","successful":true,"ext":${filler()}}]` },
  'a JSON answer naming an application channel': { url: 'https://example.test/api/feed', responseBody: `[{"channel":"/chat/room","data":${filler(15_000)}}]` },
  'bayeux publish': { method: 'POST', url: 'https://example.test/cometd', requestBody: `[{"channel":"/chat","clientId":"c1","data":${filler()}}]` },
  'bosh session': { method: 'POST', url: 'https://example.test/http-bind', requestBody: `<body rid='42' xmlns='http://jabber.org/protocol/httpbind' ver='1.6'>${pad()}</body>`, responseBody: `<body xmlns="http://jabber.org/protocol/httpbind" sid="s1" wait="60">${pad()}</body>` },
  'an html page with a body': { url: 'https://example.test/', mimeType: 'text/html', resourceType: 'document', responseBody: `<html><body class="page">${'<p>grid</p>'.repeat(1500)}</body></html>` },
  'engine.io open packet': { url: eio4, responseBody: `0{"sid":"abc","upgrades":["websocket"],"pingInterval":25000,"pingTimeout":20000,"x":${filler()}}` },
  'engine.io v3 payload': { url: 'https://example.test/socket.io/?EIO=3&transport=polling', responseBody: `3100:0{"sid":"v3","upgrades":[],"pingInterval":25000,"pingTimeout":5000,"x":${filler()}}` },
  'engine.io jsonp payload': { url: 'https://example.test/socket.io/?EIO=3&transport=polling&j=0', responseBody: `___eio[0](${JSON.stringify(`0{"sid":"jp","pingInterval":25000,"x":${filler()}}`)});` },
  'engine.io sid spelt with an escape': { url: eio4, responseBody: `0{"\\u0073id":"esc","pingInterval":25000,"x":${filler()}}` },
  'engine.io message without a handshake': { url: eio4, responseBody: `4${filler(15_000)}` },
  'webchannel open chunk': { url: 'https://example.test/channel/bind?VER=8&RID=1', responseBody: `52\n[[0,["c","sid1","",8,14,30000]]]\n${pad()}` },
  'firebase long-poll script': { url: 'https://example.test/x', responseBody: `${pad()}pRTLPCB(1,[{"t":"d"}]);` },
  'lightstreamer session': { url: 'https://example.test/ls', responseBody: `${pad()}\r\nCONOK,S1,50000,5000,*\r\n` },
  'dwr reply': { url: 'https://example.test/x', responseBody: `//#DWR-REPLY\n${pad()}` },
  'ape raw answer': { url: 'https://example.test/x', responseBody: `[{"raw":"IDENT","data":${filler()}}]` },
  'an empty answer padded with white space': { url: 'https://example.test/poll', responseBody: `${pad(2500)}{}${pad(2500)}` },
  'a long JSON answer': { url: 'https://example.test/poll', responseBody: filler(15_000) },
  'an event stream whose body was kept': { url: 'https://example.test/events', mimeType: 'text/event-stream', responseBody: `data: ${filler()}\n\n`, timings: { receive: 0 } },
  'socket.io websocket': { ...ws([frame(0, 'receive', `0{"sid":"w1","upgrades":[],"pingInterval":25000,"x":${filler()}}`), frame(5, 'receive', `42["tick",${filler()}]`), frame(9, 'send', `2${pad()}`)], 'wss://example.test/socket.io/?EIO=4&transport=websocket') },
  'socket.io 0.9 websocket': { ...ws([frame(0, 'receive', `5:::${filler()}`), frame(1, 'receive', `2::${pad()}`)], 'wss://example.test/socket.io/1/websocket/s09') },
  'ddp over websocket': { ...ws([frame(0, 'send', `{"msg":"connect","version":"1","support":["1"],"x":${filler()}}`), frame(1, 'receive', `{"msg":"connected","session":"d1","x":${filler()}}`)], 'wss://example.test/websocket') },
  'ddp over sockjs': { ...ws([frame(0, 'receive', 'o'), frame(1, 'send', `a[${JSON.stringify(`{"msg":"connect","version":"1","x":${filler()}}`)}]`)], 'wss://example.test/sockjs/123/abc/websocket') },
  'actioncable welcome': { ...ws([frame(0, 'receive', `{"type":"welcome","pad":${filler()}}`)], 'wss://example.test/cable') },
  'graphql-ws init': { ...ws([frame(0, 'send', `{"type":"connection_init","payload":${filler()}}`), frame(1, 'receive', '{"type":"connection_ack"}')], 'wss://example.test/graphql') },
  'a websocket of plain JSON': { ...ws([frame(0, 'receive', filler()), frame(1, 'send', filler())]) },
};

describe('a spilled exchange, asked through har/peek.ts', () => {
  const file = openSpill(dir)!;

  for (const way of Object.keys(WAYS) as Way[]) {
    for (const [name, spec] of Object.entries(CASES)) {
      it(`gets every module's own verdicts (${way}): ${name}`, () => {
        const plain = exchange(spec);
        const stored = spilled(plain, file, way);
        // The case is only worth having if some text really went to the file.
        expect(stored.responseText instanceof Object || stored.requestText instanceof Object || stored.wsFrames?.some((f) => f instanceof StoredFrame)).toBe(true);
        expect(stored.responseBody).toBe(plain.responseBody);
        for (const m of PROTOCOLS) {
          expect(m.recognise(stored), `${m.meta.id} recognise`).toEqual(m.recognise(plain));
          expect(m.roleOf?.(stored), `${m.meta.id} roleOf`).toEqual(m.roleOf?.(plain));
          expect(m.sessionOf?.(stored), `${m.meta.id} sessionOf`).toEqual(m.sessionOf?.(plain));
          (plain.wsFrames ?? []).forEach((f, i) => expect(m.frameKind?.(stored.wsFrames![i]!), `${m.meta.id} frameKind ${i}`).toEqual(m.frameKind?.(f)));
        }
        expect(isEmptyAnswer(stored)).toBe(isEmptyAnswer(plain));
        expect(lifetimeUnknown(stored)).toBe(lifetimeUnknown(plain));
        expect(hasResponseBody(stored)).toBe(hasResponseBody(plain));
        // Exact from a decoded text; from raw bytes, never more than the truth.
        if (way === 'decoded') expect(responseTrimmedAtLeast(stored)).toBe(responseTrimmedAtLeast(plain));
        else expect(responseTrimmedAtLeast(stored) ?? 0).toBeLessThanOrEqual(responseTrimmedAtLeast(plain) ?? 0);
        for (const p of Object.keys(PROBES) as (keyof typeof PROBES)[]) {
          if (plain.responseBody !== null && passes(p, plain.responseBody)) expect(responseMay(stored, p), `${p} on the response`).toBe(true);
          (plain.wsFrames ?? []).forEach((f, i) => {
            if (passes(p, f.data)) expect(dataMay(stored.wsFrames![i]!, p), `${p} on frame ${i}`).toBe(true);
          });
        }
        (plain.wsFrames ?? []).forEach((f, i) => expect(f.data.startsWith(dataHead(stored.wsFrames![i]!))).toBe(true));
      });
    }
  }

  // The texts are long enough that even their raw bytes say they are no empty answer (over 6 × 2,000 bytes).
  for (const way of ['decoded', 'raw'] as const) {
    it(`never reads back a long text that no module is looking for (${way})`, () => {
      const own = openSpill(dir)!;
      const read = vi.spyOn(own, 'get');
      const exs = ['a long JSON answer', 'a JSON answer naming an application channel', 'a websocket of plain JSON', 'engine.io message without a handshake', 'an html page with a body'].map((n) => spilled(exchange(CASES[n]!), own, way));
      for (const ex of exs) {
        // Every module is asked to recognise every exchange; frames are counted by the module recognised, and the
        // Engine.IO family tells them by their first characters.
        for (const m of PROTOCOLS) m.recognise(ex);
        for (const m of PROTOCOLS.filter((p) => p.meta.id === 'socket.io' || p.meta.id === 'engine.io')) for (const f of ex.wsFrames ?? []) m.frameKind?.(f);
        isEmptyAnswer(ex);
        lifetimeUnknown(ex);
      }
      expect(read).not.toHaveBeenCalled();
      // …while the texts are all there when asked for.
      expect(exs[0]!.responseBody).toBe(CASES['a long JSON answer']!.responseBody);
      expect(read).toHaveBeenCalledTimes(1);
      own.close();
    });
  }
});

describe('the probes', () => {
  it('answer "maybe" for what is not asked of a kind of text, and look only for their needles', () => {
    const body = probe(`{"msg":"connect",${filler()}}`, 'body');
    const frameBits = probe(`{"msg":"connect",${filler()}}`, 'frame');
    // ddp is asked of frames only: a body says "maybe"; a frame says what it holds.
    expect(body & probeBit('ddp')).not.toBe(0);
    expect(frameBits & probeBit('ddp')).not.toBe(0);
    expect(probe(filler(), 'frame') & probeBit('ddp')).toBe(0);
    expect(probe(filler(), 'body') & probeBit('bayeux')).toBe(0);
    expect(probe(`${filler()}"channel"`, 'body') & probeBit('bayeux')).not.toBe(0);
    expect(probe(`${filler()}"channel":"/chat"`, 'body') & probeBit('bayeuxMeta')).toBe(0);
    expect(probe(`${filler()}"channel":"\\/meta\\/connect"`, 'body') & probeBit('bayeuxMeta')).not.toBe(0);
  });

  it('find needles that overlap, and needles after many matches of another', () => {
    // `"channel"raw"`: APE's `"raw"` starts on the quote that ends Bayeux's `"channel"`.
    const both = probe(`${pad()}"channel"raw"`, 'body');
    expect(both & probeBit('bayeux')).not.toBe(0);
    expect(both & probeBit('ape')).not.toBe(0);
    const late = probe(`${'"channel"'.repeat(100)}//#DWR-REPLY`, 'body');
    expect(late & probeBit('dwr')).not.toBe(0);
    expect(late & probeBit('firebase')).toBe(0);
  });

  it('pass only on texts that hold one of their needles (the screen relies on it)', () => {
    const texts = Object.values(CASES).flatMap((c) => [c.requestBody, c.responseBody, ...(c.wsFrames ?? []).map((f) => f.data)]).filter((t): t is string => typeof t === 'string');
    let passed = 0;
    for (const [name, p] of Object.entries(PROBES) as [keyof typeof PROBES, (typeof PROBES)[keyof typeof PROBES]][]) {
      for (const t of texts) {
        if (!passes(name, t)) continue;
        passed += 1;
        expect(p.needles.some((n) => t.includes(n)), name).toBe(true);
      }
      expect(passes(name, filler()), `${name} on plain JSON`).toBe(false);
    }
    expect(passed).toBeGreaterThan(10);
  });
});
