import { describe, expect, it } from 'vitest';
import { countEio, decodeEioPayload, decodeSio09, eioHandshake, sio09Handshake, socketIoType } from '../../src/protocols/engineio-parser.js';

describe('Engine.IO payloads', () => {
  it('decodes v4 packets joined by \\x1e', () => {
    expect(decodeEioPayload('2\x1e42["news",{"id":1}]\x1e6').map((p) => p.type)).toEqual(['ping', 'message', 'noop']);
  });
  it('decodes v3 <len>:<packet> framing, with a handshake', () => {
    const open = '0{"sid":"abc","upgrades":["websocket"],"pingInterval":25000,"pingTimeout":5000}';
    const body = `${open.length}:${open}2:40`;
    const packets = decodeEioPayload(body);
    expect(packets.map((p) => p.type)).toEqual(['open', 'message']);
    expect(eioHandshake(packets)).toMatchObject({ sid: 'abc', pingInterval: 25000, pingTimeout: 5000, upgrades: ['websocket'] });
  });
  it('unwraps v3 JSONP polling', () => {
    expect(decodeEioPayload('___eio[0]("1:6");').map((p) => p.type)).toEqual(['noop']);
  });
  it('counts Socket.IO events as data, pings and noops as heartbeats, connect and probes as control', () => {
    expect(countEio(decodeEioPayload('40{"sid":"x"}\x1e42["a"]\x1e2\x1e6'), true)).toEqual({ data: 1, heartbeat: 2, control: 1 });
    expect(countEio(decodeEioPayload('2probe'), true)).toEqual({ data: 0, heartbeat: 0, control: 1 });
    expect(socketIoType('2["news"]')).toBe('EVENT');
  });
});

describe('Socket.IO 0.9', () => {
  it('reads the handshake and \\ufffd-framed messages', () => {
    expect(sio09Handshake('4d4f185e96a7b:15:10:websocket,xhr-polling')).toMatchObject({ sid: '4d4f185e96a7b', heartbeatS: 15, closeS: 10 });
    expect(decodeSio09('\ufffd5\ufffd3:::a\ufffd3\ufffd8::').map((m) => m.type)).toEqual([3, 8]);
  });
});
