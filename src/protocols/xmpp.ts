// XMPP over WebSocket (RFC 7395): the subprotocol is `xmpp`, each WebSocket message is one XML element, and the stream
// opens with <open xmlns="urn:ietf:params:xml:ns:xmpp-framing"/> and ends with <close/>. (XMPP over long-polling is
// BOSH: bosh.ts.) Messages and presence are what the server pushes; the rest is stream bookkeeping.
import type { Exchange, WsFrame } from '../model.js';
import { dataHead } from '../har/peek.js';
import type { FrameKind, ProtocolModule } from './types.js';
import { subprotocols } from './util.js';

const FRAMING = 'urn:ietf:params:xml:ns:xmpp-framing';

/** The name of the element a frame starts with (`message`, `open`, `stream:features`), or null. */
function elementOf(f: WsFrame): string | null {
  if (f.opcode !== 1) return null;
  const m = /^\s*<([A-Za-z][\w:.-]*)/.exec(dataHead(f));
  return m ? m[1]!.toLowerCase() : null;
}

export const xmpp: ProtocolModule = {
  meta: {
    id: 'xmpp',
    name: 'XMPP',
    description: 'XMPP over WebSocket (RFC 7395): one XML element per message, the stream opened with <open/> and ended with <close/>.',
    signals: ['WebSocket subprotocol xmpp', `<open xmlns="${FRAMING}"/> as the first frame`],
    sessionKey: 'none (one WebSocket is one XMPP stream)',
    declares: [],
  },
  recognise(ex) {
    if (subprotocols(ex).includes('xmpp')) return { score: 1, version: null, evidence: 'subprotocol xmpp (RFC 7395)' };
    const first = ex.wsFrames?.[0];
    if (first && elementOf(first) === 'open' && dataHead(first).includes(FRAMING)) return { score: 0.95, version: null, evidence: 'XMPP framing <open/> in the first frame' };
    return null;
  },
  roleOf: () => 'stream',
  frameKind(f): FrameKind | null {
    const name = elementOf(f);
    if (name === null) return null;
    // What a chat user sees arrive: messages, and the presence of contacts.
    if (name === 'message' || name === 'presence') return 'data';
    return 'control';
  },
};
