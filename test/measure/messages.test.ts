import { describe, expect, it } from 'vitest';
import {
  countLines,
  countMultipartParts,
  countScriptChunks,
  countSseEvents,
  countWsFrames,
  overheadPerMessage,
  scriptCallNames,
} from '../../src/measure/messages.js';

describe('message counters', () => {
  it('counts WebSocket data frames by direction, not pings or close', () => {
    const frames = [
      { time: 1, direction: 'send' as const, opcode: 1, data: 'hi' },
      { time: 2, direction: 'receive' as const, opcode: 1, data: 'a' },
      { time: 3, direction: 'receive' as const, opcode: 2, data: 'AA==' },
      { time: 4, direction: 'receive' as const, opcode: 9, data: '' },
      { time: 5, direction: 'receive' as const, opcode: 8, data: '' },
    ];
    expect(countWsFrames(frames)).toEqual({ sent: 1, received: 2, closed: true });
  });

  it('parses SSE events, heartbeat comments and retry, and drops an unterminated last event', () => {
    const body = 'retry: 3000\n\n: hb\n\nid: 1\ndata: a\n\nevent: x\ndata: b\ndata: c\n\ndata: partial';
    expect(countSseEvents(body)).toEqual({ events: 2, comments: 1, retryMs: 3000, withId: 1 });
  });

  it('counts inline script chunks of a forever frame and names their calls', () => {
    const html = '<html><body>' + ' '.repeat(2048) + '<script src="/x.js"></script>' + '<script>parent.push({"a":1})</script>'.repeat(3);
    expect(countScriptChunks(html)).toBe(3);
    expect(scriptCallNames(html)).toEqual(['parent.push', 'parent.push', 'parent.push']);
  });

  it('counts ndjson lines and multipart parts', () => {
    expect(countLines('{"a":1}\n{"a":2}\n\n{"a":3}\n')).toBe(3);
    const mp = '--frame\r\nContent-Type: text/plain\r\n\r\na\r\n--frame\r\nContent-Type: text/plain\r\n\r\nb\r\n--frame--\r\n';
    expect(countMultipartParts(mp, 'frame')).toBe(2);
    expect(countMultipartParts(mp, null)).toBe(2);
  });

  it('works out overhead per message', () => {
    expect(overheadPerMessage(10, 8000, 5)).toEqual({ requestsPerMessage: 2, headerBytesPerMessage: 1600 });
    expect(overheadPerMessage(10, 8000, 0)).toEqual({ requestsPerMessage: null, headerBytesPerMessage: null });
  });
});
