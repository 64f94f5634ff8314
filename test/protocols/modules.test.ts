// Each module alone, on hand-written exchanges: recognition, roles, session keys and declared facts.
import { tmpdir } from 'node:os';
import { describe, expect, it, vi } from 'vitest';
import { SPILL_FROM, openSpill } from '../../src/har/stream/spill.js';
import { StoredFrame } from '../../src/har/stream/stored.js';
import { identifyProtocol, PROTOCOLS } from '../../src/protocols/index.js';
import { parseBayeux, bayeux } from '../../src/protocols/bayeux.js';
import { bosh, boshRids } from '../../src/protocols/bosh.js';
import { mqtt } from '../../src/protocols/mqtt.js';
import { xmpp } from '../../src/protocols/xmpp.js';
import { ape } from '../../src/protocols/legacy.js';
import { sockjs, sockjsFrame, sockjsFrames } from '../../src/protocols/sockjs.js';
import { signalrCore } from '../../src/protocols/signalr.js';
import { socketIo } from '../../src/protocols/socketio.js';
import type { WsFrame } from '../../src/model.js';
import { actioncable, ddp, graphqlWs } from '../../src/protocols/websocket-subprotocols.js';
import { T0, exchange } from '../helpers/exchange.js';

describe('every module is self-describing', () => {
  it.each(PROTOCOLS.map((p) => [p.meta.id, p] as const))('%s has meta', (_id, p) => {
    expect(p.meta.name.length).toBeGreaterThan(0);
    expect(p.meta.signals.length).toBeGreaterThan(0);
    expect(p.meta.sessionKey.length).toBeGreaterThan(0);
  });
  it('uses the report ids the JSON contract names', () => {
    expect(PROTOCOLS.map((p) => p.meta.id).sort()).toEqual(
      ['actioncable', 'ape', 'atmosphere', 'bayeux', 'bosh', 'ddp', 'dwr', 'engine.io', 'firebase', 'graphql-sse', 'graphql-ws', 'icepush', 'lightstreamer', 'mqtt', 'nchan', 'phoenix', 'pushlet', 'signalr', 'signalr-core', 'socket.io', 'sockjs', 'webchannel', 'xmpp'],
    );
  });
});

describe('socket.io', () => {
  const hs = exchange({ url: 'https://h.test/socket.io/?EIO=4&transport=polling&t=abc', responseBody: '0{"sid":"S1","upgrades":["websocket"],"pingInterval":25000,"pingTimeout":20000,"maxPayload":1000000}' });
  it('names Socket.IO 4 from EIO=4 and the handshake session', () => {
    expect(socketIo.recognise(hs)).toMatchObject({ version: '4' });
    expect(socketIo.sessionOf!(hs)).toBe('S1');
    expect(socketIo.roleOf!(hs)).toBe('setup');
    expect(socketIo.roleOf!(exchange({ method: 'POST', url: 'https://h.test/socket.io/?EIO=4&transport=polling&sid=S1' }))).toBe('send');
  });
  it('calls EIO=3 Socket.IO 2 and /socket.io/1/ Socket.IO 0.9', () => {
    expect(socketIo.recognise(exchange({ url: 'https://h.test/socket.io/?EIO=3&transport=polling' }))?.version).toBe('2');
    expect(socketIo.recognise(exchange({ url: 'https://h.test/socket.io/1/?t=1', responseBody: '4d4f185e96a7b:15:10:websocket,xhr-polling' }))?.version).toBe('0.9');
  });
  it('declares pingInterval from the handshake', () => {
    expect(socketIo.declared!([hs]).find((f) => f.key === 'pingIntervalMs')).toMatchObject({ valueMs: 25000, observe: 'heartbeat' });
  });
});

describe('sockjs', () => {
  it('reads frames from each transport wrapper', () => {
    expect(sockjsFrames(exchange({ url: 'https://h.test/echo/123/abcd1234/xhr_streaming', responseBody: `${'h'.repeat(2048)}\no\na["x","y"]\n` }))).toHaveLength(3);
    expect(sockjsFrames(exchange({ url: 'https://h.test/echo/123/abcd1234/htmlfile?c=_jp.x', responseBody: '<script>\np("o");\n</script>\n<script>\np("a[\\"hi\\"]");\n</script>' }))).toEqual(['o', 'a["hi"]']);
    expect(sockjsFrame('a["x","y"]')).toEqual({ kind: 'data', count: 2 });
    expect(sockjsFrame('h'.repeat(2048))).toEqual({ kind: 'control', count: 1 });
  });
  it('keys sessions by the session path segment', () => {
    expect(sockjs.sessionOf!(exchange({ url: 'https://h.test/echo/926/yp_bur3z/websocket' }))).toBe('yp_bur3z');
  });
});

describe('bayeux', () => {
  it('parses JSON arrays and JSONP answers', () => {
    expect(parseBayeux('/**/__jsonp3__([{"channel":"/meta/connect","successful":true}]);')).toHaveLength(1);
  });
  it('takes advice.timeout but not the first connect timeout 0', () => {
    const first = exchange({ method: 'POST', requestBody: '[{"channel":"/meta/connect","clientId":"c1","advice":{"timeout":0}}]', responseBody: '[{"channel":"/meta/connect","successful":true,"advice":{"reconnect":"retry","interval":0,"timeout":30000}}]' });
    const facts = bayeux.declared!([first]);
    expect(facts.find((f) => f.key === 'adviceTimeoutMs')?.valueMs).toBe(30000);
    expect(bayeux.declaredInfo!([first])).toMatchObject({ firstConnectTimeout: 0, adviceReconnect: 'retry' });
  });
});

describe('bosh', () => {
  it('reads rid, sid and wait', () => {
    const create = exchange({ method: 'POST', url: 'https://x.test/http-bind', requestBody: "<body rid='10' wait='60' hold='1' xmlns='http://jabber.org/protocol/httpbind'/>", responseBody: "<body sid='S' wait='45' inactivity='30' xmlns='http://jabber.org/protocol/httpbind'/>" });
    const next = exchange({ method: 'POST', url: 'https://x.test/http-bind', requestBody: "<body rid='11' sid='S' xmlns='http://jabber.org/protocol/httpbind'/>", responseBody: "<body xmlns='http://jabber.org/protocol/httpbind'/>" });
    expect(boshRids([create, next])).toEqual([10, 11]);
    expect(bosh.sessionOf!(create)).toBe('S');
    expect(bosh.idle!(next)).toBe(true);
    expect(bosh.declared!([create]).find((f) => f.key === 'waitMs')?.valueMs).toBe(45000);
  });
});

describe('signalr-core', () => {
  it('recognises negotiate and takes the connectionToken as the session', () => {
    const neg = exchange({ method: 'POST', url: 'https://a.test/hub/negotiate?negotiateVersion=1', responseBody: '{"negotiateVersion":1,"connectionId":"c","connectionToken":"T","availableTransports":[]}' });
    expect(signalrCore.recognise(neg)?.score).toBe(1);
    expect(signalrCore.sessionOf!(neg)).toBe('T');
    expect(signalrCore.roleOf!(exchange({ method: 'DELETE', url: 'https://a.test/hub?id=T' }))).toBe('teardown');
  });
});

describe('identifyProtocol', () => {
  it('needs more than a weak hint', () => {
    expect(identifyProtocol([exchange({ url: 'https://a.test/hub?id=abc' })])).toBeNull();
  });
  it('recognises subprotocols inside WebSockets', () => {
    const ws = exchange({ url: 'wss://a.test/cable', status: 101, resourceType: 'websocket', responseHeaders: [{ name: 'Sec-WebSocket-Protocol', value: 'actioncable-v1-json' }] });
    expect(identifyProtocol([ws])?.module.meta.id).toBe('actioncable');
  });
});

describe('APE', () => {
  it('reads the command list in the query, written or escaped, and nothing else there', () => {
    expect(ape.recognise(exchange({ url: 'http://3.ape.test/?[{"cmd":"CHECK","chl":3}]' }))?.evidence).toBe('APE command CHECK in the query');
    expect(ape.recognise(exchange({ url: 'http://3.ape.test/?%5B%7B%22cmd%22%3A%22CONNECT%22%7D%5D' }))?.evidence).toBe('APE command CONNECT in the query');
    expect(ape.recognise(exchange({ url: 'http://3.ape.test/?%5b%7B%22cmd%22:+%22JOIN%22%7D%5D#x' }))?.evidence).toBe('APE command JOIN in the query');
    expect(ape.recognise(exchange({ url: 'http://a.test/?q=[{"cmd":"CHECK"}]' }))).toBeNull();
    expect(ape.recognise(exchange({ url: 'http://a.test/?q=%E0%A4%A' }))).toBeNull();
    // Without a command list, an answer in APE's raw form still says APE.
    expect(ape.recognise(exchange({ url: 'http://a.test/poll?x=1', responseBody: '[{"raw":"CHANNEL","data":{}}]' }))?.score).toBe(0.8);
  });
});

describe('protocols inside WebSocket frames (DDP, ActionCable, graphql-ws)', () => {
  /** Frames as a large capture keeps them: each text in the spill file, with its reads counted. */
  function counted(texts: string[]): { frames: WsFrame[]; reads: () => number } {
    const file = openSpill(tmpdir())!;
    const get = vi.spyOn(file, 'get');
    // Padded with trailing white space (still the same JSON) to the length at which texts are spilled.
    const frames = texts.map((text, i) => new StoredFrame(T0 + i, 'receive', 1, file.put(text.padEnd(SPILL_FROM), 'frame')!));
    return { frames, reads: () => get.mock.calls.length };
  }
  const ws = (frames: WsFrame[]) => exchange({ url: 'wss://a.test/socket', status: 101, resourceType: 'websocket', wsFrames: frames });

  it('finds each handshake in the frames where it may be, reading back only frames that may hold one', () => {
    const { frames, reads } = counted(['o', 'x', '{"x":1}', '{"msg":"connected","session":"S"}', '{"type":"ping","message":1}', '{"type": "connection_ack"}', 'y']);
    const ex = ws(frames);
    expect(ddp.recognise(ex)?.evidence).toBe('DDP {"msg":"connect"} handshake');
    expect(actioncable.recognise(ex)?.evidence).toBe('ActionCable welcome/ping frames');
    expect(graphqlWs.recognise(ex)?.evidence).toBe('connection_init/connection_ack frames');
    // The DDP frame is parsed and the graphql-ws one matched; ActionCable's is told by how it starts, kept in memory.
    expect(reads()).toBe(2);
    // Asked about another exchange and back, the answers are the same.
    expect(ddp.recognise(ws(counted(['{"msg":"ping"}']).frames))).toBeNull();
    expect(ddp.recognise(ex)?.version).toBeNull();
  });

  it('looks for DDP in the first ten frames only, and for the others anywhere', () => {
    const late = [...Array.from({ length: 10 }, () => '{"msg":"ping"}'), '{"msg":"connect","version":"1"}', '{"type":"welcome"}', '{"type":"connection_init"}'];
    const ex = ws(counted(late).frames);
    expect(ddp.recognise(ex)).toBeNull();
    expect(actioncable.recognise(ex)).not.toBeNull();
    expect(graphqlWs.recognise(ex)).not.toBeNull();
    const early = ws(counted(['{"msg":"connect","version":"1","support":["1"]}']).frames);
    expect(ddp.recognise(early)?.version).toBe('1');
    expect(actioncable.recognise(early)).toBeNull();
    expect(graphqlWs.recognise(early)).toBeNull();
    // ActionCable's frames must start with the type; graphql-ws's may have it anywhere.
    const inside = ws(counted(['{"id":1,"type":"welcome"}', '{"id":1, "type" : "connection_ack"}']).frames);
    expect(actioncable.recognise(inside)).toBeNull();
    expect(graphqlWs.recognise(inside)).not.toBeNull();
  });
});

describe('mqtt', () => {
  // Binary frames as exporters write them: base64.
  const frame = (direction: 'send' | 'receive', bytes: number[], at = 0): WsFrame => ({ time: T0 + at, direction, opcode: 2, data: Buffer.from(bytes).toString('base64') });
  // CONNECT, MQTT 3.1.1 (level 4), clean session, keep alive 5 s, client id "c".
  const connect = [0x10, 13, 0, 4, 0x4d, 0x51, 0x54, 0x54, 4, 2, 0, 5, 0, 1, 0x63];
  const ws = (frames: WsFrame[], protocol: string | null) =>
    exchange({ url: 'ws://a.test/mqtt', status: 101, resourceType: 'websocket', wsFrames: frames, responseHeaders: protocol ? [{ name: 'Sec-WebSocket-Protocol', value: protocol }] : [] });

  it('is recognised by its subprotocol, or by the CONNECT packet it opens with, and names the level', () => {
    const frames = [frame('send', connect), frame('receive', [0x20, 2, 0, 0], 5)];
    expect(mqtt.recognise(ws(frames, 'mqtt'))).toMatchObject({ score: 1, version: '3.1.1', evidence: 'subprotocol mqtt' });
    expect(mqtt.recognise(ws(frames, null))).toMatchObject({ score: 0.95, version: '3.1.1' });
    expect(mqtt.recognise(ws([frame('send', [0x10, 2, 0, 0])], null))).toBeNull();
    expect(mqtt.recognise(ws([{ time: T0, direction: 'send', opcode: 1, data: 'EA0ABE1RVFQEAgAFAAFj' }], null))).toBeNull();
  });

  it('counts PUBLISH as data and pings as heartbeats; declares the keep alive, and sees the pings answered', () => {
    const publish = [0x30, 7, 0, 4, 0x6e, 0x65, 0x77, 0x73, 0x21];
    expect(mqtt.frameKind!(frame('receive', publish))).toBe('data');
    expect(mqtt.frameKind!(frame('receive', [0xd0, 0]))).toBe('heartbeat');
    expect(mqtt.frameKind!(frame('receive', [0x90, 3, 0, 1, 0]))).toBe('control');
    const ex = ws([frame('send', connect), frame('send', [0xc0, 0], 5000), frame('receive', [0xd0, 0], 5003), frame('receive', publish, 6000), frame('receive', [0xd0, 0], 11003)], 'mqtt');
    expect(mqtt.heartbeats!(ex)).toEqual([T0 + 5003, T0 + 11003]);
    expect(mqtt.declared!([ex])).toEqual([expect.objectContaining({ key: 'keepAliveMs', valueMs: 5000, observe: 'heartbeat', compare: 'at-most' })]);
  });
});

describe('xmpp over websocket', () => {
  const text = (direction: 'send' | 'receive', data: string, at = 0): WsFrame => ({ time: T0 + at, direction, opcode: 1, data });
  const open = '<open xmlns="urn:ietf:params:xml:ns:xmpp-framing" to="localhost" version="1.0"/>';
  const ws = (frames: WsFrame[], protocol: string | null) =>
    exchange({ url: 'ws://a.test/xmpp-websocket', status: 101, resourceType: 'websocket', wsFrames: frames, responseHeaders: protocol ? [{ name: 'Sec-WebSocket-Protocol', value: protocol }] : [] });

  it('is recognised by its subprotocol or its framing <open/>, and not by XML alone', () => {
    expect(xmpp.recognise(ws([], 'xmpp'))).toMatchObject({ score: 1 });
    expect(xmpp.recognise(ws([text('send', open)], null))).toMatchObject({ score: 0.95 });
    expect(xmpp.recognise(ws([text('send', '<open/>')], null))).toBeNull();
    expect(xmpp.recognise(ws([text('send', open)], 'mqtt'))).toMatchObject({ score: 0.95 });
  });

  it('counts messages and presence as data, the stream bookkeeping as control', () => {
    expect(xmpp.frameKind!(text('receive', '<message xmlns="jabber:client" type="chat"><body>hi</body></message>'))).toBe('data');
    expect(xmpp.frameKind!(text('receive', '<presence xmlns="jabber:client"/>'))).toBe('data');
    expect(xmpp.frameKind!(text('receive', '<stream:features xmlns:stream="http://etherx.jabber.org/streams"/>'))).toBe('control');
    expect(xmpp.frameKind!(text('receive', 'not xml'))).toBeNull();
  });
});
