// How a report hides secrets in the capture text it shows (per-request URLs, headers, evidence, warnings).
// The rules of what is secret, and how URLs and free text are redacted, live in src/redact.ts; this file applies
// them to the parts of an analysis that quote the capture.
import type { Analysis, Channel } from '../model.js';
import { redactHeader, redactText, redactUrl } from '../redact.js';

export interface Redactor {
  /** False under --no-redact: everything is shown as captured. */
  readonly on: boolean;
  url(url: string): string;
  header(name: string, value: string): string;
  text(text: string): string;
}

export function redactor(on: boolean): Redactor {
  if (!on) return { on, url: (u) => u, header: (_n, v) => v, text: (t) => t };
  return { on, url: redactUrl, header: redactHeader, text: redactText };
}

/** The analysis with every string that may quote the capture (evidence, warnings, findings) redacted. */
export function redactAnalysis(analysis: Analysis, r: Redactor): Analysis {
  if (!r.on) return analysis;
  return {
    ...analysis,
    inputs: analysis.inputs.map((i) => ({ ...i, warnings: i.warnings.map(r.text) })),
    channels: analysis.channels.map((ch) => ({
      ...ch,
      evidence: ch.evidence.map(r.text),
      ...(ch.warnings ? { warnings: ch.warnings.map(r.text) } : {}),
    })),
    findings: analysis.findings.map((f) => ({ ...f, message: r.text(f.message) })),
  };
}

/** Shorter ids are left alone: hiding them could hide ordinary words and numbers of other URLs. */
const SESSION_ID_MIN = 6;

/**
 * The redactor, also hiding the channels' protocol session ids (Channel.sessionIds) where they stand as a whole path
 * segment or query value. The URL rules hide values that look random, but a SockJS session of eight letters
 * (`/echo/617/gifkromi/xhr_send`) looks like a word to them, and anyone holding the id can send into the session.
 */
export function hidingSessions(r: Redactor, channels: readonly Channel[]): Redactor {
  if (!r.on) return r;
  const ids = new Set(channels.flatMap((c) => c.sessionIds ?? []).filter((id) => id.length >= SESSION_ID_MIN));
  if (ids.size === 0) return r;
  const hide = (text: string): string =>
    text.replace(/([/=])([^/?&#;=\s"'<>]+)(?=$|[/?&#;\s"'<>])/g, (all, sep: string, value: string) => (ids.has(value) ? `${sep}…` : all));
  return { on: true, url: (u) => hide(r.url(u)), header: (n, v) => hide(r.header(n, v)), text: (t) => hide(r.text(t)) };
}
