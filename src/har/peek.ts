// Cheap questions about a body or a WebSocket payload, answered without reading back a text that waits in the spill
// file (stream/spill.ts). On a large capture most long texts are asked about by several modules in turn (is this
// Bayeux? DDP? an empty answer? a Socket.IO event?), and nearly every answer is "no": reading each one back for that
// was half a gigabyte of texts on a 1 GB capture with bodies, and the strings made the peak of its memory. A spilled
// text keeps its first characters, a floor on its trimmed length and whether it may pass a few cheap tests, which
// settle those questions (stream/probes.ts). A text in memory takes the same cheap tests, which spare the modules' parsing,
// so the answers are the same either way; each test is held to its module's own verdict (test/stream/peek.test.ts).
import type { Exchange, WsFrame } from '../model.js';
import { passes, type ProbeName } from './stream/probes.js';
import { SpilledText, type StoredText } from './stream/spill.js';
import { StoredExchange, StoredFrame } from './stream/stored.js';

export type { ProbeName };

/** The response body as stored: a string, a place in the spill file, or null. */
function responseText(ex: Exchange): StoredText {
  return ex instanceof StoredExchange ? ex.responseText : ex.responseBody;
}

function requestText(ex: Exchange): StoredText {
  return ex instanceof StoredExchange ? ex.requestText : ex.requestBody;
}

function frameText(f: WsFrame): StoredText {
  return f instanceof StoredFrame ? f.text : f.data;
}

/** A text in memory is tested as it would have been on its way to the spill file. */
function mayPass(t: StoredText, name: ProbeName): boolean {
  if (t === null) return false;
  return t instanceof SpilledText ? t.mayPass(name) : passes(name, t);
}

/** False when the response body surely fails the module's test that the probe stands for (probes.ts), or there is none. */
export function responseMay(ex: Exchange, name: ProbeName): boolean {
  return mayPass(responseText(ex), name);
}

/** False when the request body surely fails the probe's test, or there is none. */
export function requestMay(ex: Exchange, name: ProbeName): boolean {
  return mayPass(requestText(ex), name);
}

/** False when a frame's payload surely fails the probe's test. */
export function dataMay(f: WsFrame, name: ProbeName): boolean {
  return mayPass(frameText(f), name);
}

/**
 * At most the response body's length once trimmed (String.prototype.trim), or null when there is no body. Exact for
 * a text in memory; for a long one waiting in the spill file, what its stored bytes guarantee without decoding them.
 */
export function responseTrimmedAtLeast(ex: Exchange): number | null {
  const t = responseText(ex);
  if (t === null) return null;
  return t instanceof SpilledText ? t.trimmedAtLeast : t.trim().length;
}

/** Whether there is a response body with at least one character (what `if (ex.responseBody)` asks). */
export function hasResponseBody(ex: Exchange): boolean {
  const t = responseText(ex);
  return t instanceof SpilledText || (t !== null && t !== '');
}

/**
 * A frame's payload, or for a long one its first HEAD_CHARS (32) characters, for questions about how it starts. A
 * payload cut short there is far longer: a spilled text has at least SPILL_FROM (1,024) characters, or as many bytes
 * of raw JSON content, which is at least 170 characters (an escape takes up to 6 bytes).
 */
export function dataHead(f: WsFrame): string {
  const t = frameText(f);
  return t instanceof SpilledText ? t.head : (t ?? '');
}
