// What a recognised protocol adds to a channel's figures: decoded messages by kind, the heartbeat cadence, and each
// declared fact beside the figure the capture shows. Pure functions over exchanges and numbers.
import type { DeclaredCheck, Exchange } from '../model.js';
import type { DeclaredFact, Decoded, Observed, ProtocolModule } from '../protocols/types.js';
import { median } from './stats.js';

/** Messages decoded from bodies and received frames; null when nothing could be decoded. */
export function protocolMessages(mod: ProtocolModule, exchanges: readonly Exchange[]): Decoded | null {
  const out: Decoded = { data: 0, heartbeat: 0, control: 0 };
  let seen = false;
  for (const ex of exchanges) {
    if (ex.wsFrames && mod.frameKind) {
      for (const f of ex.wsFrames) {
        if (f.direction !== 'receive') continue;
        const k = mod.frameKind(f);
        if (k) {
          out[k]++;
          seen = true;
        }
      }
      continue;
    }
    const d = mod.decode?.(ex) ?? null;
    if (d) {
      out.data += d.data;
      out.heartbeat += d.heartbeat;
      out.control += d.control;
      seen = true;
    }
  }
  return seen ? out : null;
}

/**
 * Median time between the server's heartbeats, per session, counting from the moment the session opened (servers
 * start their heartbeat timer there). null when no session shows a heartbeat.
 */
export function heartbeatInterval(mod: ProtocolModule, sessions: readonly (readonly Exchange[])[]): number | null {
  if (!mod.heartbeats) return null;
  const gaps: number[] = [];
  for (const exs of sessions) {
    const beats = exs.flatMap((ex) => mod.heartbeats!(ex)).sort((a, b) => a - b);
    if (beats.length === 0) continue;
    const opened = sessionOpenedAt(exs);
    const points = opened !== null && opened < beats[0]! ? [opened, ...beats] : beats;
    for (let i = 1; i < points.length; i++) gaps.push(points[i]! - points[i - 1]!);
  }
  return gaps.length ? median(gaps) : null;
}

/** When the session's first answer arrived: a handshake's end, or a WebSocket's first received frame. */
function sessionOpenedAt(exs: readonly Exchange[]): number | null {
  const first = exs.find((ex) => ex.state === 'complete' || (ex.wsFrames?.length ?? 0) > 0);
  if (!first) return null;
  const frame = first.wsFrames?.find((f) => f.direction === 'receive');
  return frame ? frame.time : first.end;
}

export type ObservedFigures = Record<Exclude<Observed, 'none'>, number | null>;

/** Each declared fact beside what was observed; library defaults with nothing to compare are left out. */
export function checkDeclared(facts: readonly DeclaredFact[], observed: ObservedFigures): DeclaredCheck[] {
  const out: DeclaredCheck[] = [];
  for (const f of facts) {
    const got = f.observe === 'none' ? null : observed[f.observe];
    if (got === null && f.onlyIfObserved) continue;
    out.push({
      fact: f.fact,
      source: f.source,
      declaredMs: f.valueMs,
      observedMs: got === null ? null : Math.round(got),
      agrees: got === null ? null : agrees(f, got),
    });
  }
  return out;
}

export function agrees(f: DeclaredFact, observed: number): boolean {
  const slack = f.valueMs * (f.tolerance ?? 0.1) + (f.slackMs ?? 500);
  if (f.compare === 'at-most') return observed <= f.valueMs + slack;
  return Math.abs(observed - f.valueMs) <= slack;
}
