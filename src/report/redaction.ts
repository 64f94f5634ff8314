// How a report hides secrets in the capture text it shows (per-request URLs, headers, evidence, warnings).
// The rules of what is secret, and how URLs and free text are redacted, live in src/redact.ts; this file applies
// them to the parts of an analysis that quote the capture.
import type { Analysis } from '../model.js';
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
