// How a report hides secrets in the capture text it shows (per-request URLs, headers, evidence, warnings).
// The rules of what is secret live in src/redact.ts; this file only applies them, and knows that endpoint templates
// (`{n}`, `{id}`, `…`) are already safe.
import type { Analysis } from '../model.js';
import { REDACTED, isSecretName, looksRandom, redactHeader, redactText } from '../redact.js';

export interface Redactor {
  /** False under --no-redact: everything is shown as captured. */
  readonly on: boolean;
  url(url: string): string;
  header(name: string, value: string): string;
  text(text: string): string;
}

export function redactor(on: boolean): Redactor {
  if (!on) return { on, url: (u) => u, header: (_n, v) => v, text: (t) => t };
  return { on, url: redactUrlKeepingTemplates, header: redactHeader, text: redactFreeText };
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

const URL_IN_TEXT = /\b(?:https?|wss?):\/\/[^\s"'<>`]+/gi;

/** Free text: URLs are redacted as URLs (so host, port and path stay readable), the rest with redactText. */
export function redactFreeText(text: string): string {
  let out = '';
  let last = 0;
  for (const m of text.matchAll(URL_IN_TEXT)) {
    out += redactText(text.slice(last, m.index));
    out += redactUrlKeepingTemplates(m[0]);
    last = m.index + m[0].length;
  }
  return out + redactText(text.slice(last));
}

const CALLBACK_NAMES = new Set(['callback', 'cb', 'jsonp', 'jsoncallback', 'c', '_callback']);
const JS_PATH = /^[A-Za-z_$][\w$]*(\.[\w$]+)*$/;

function isTemplateMarker(v: string): boolean {
  return v === REDACTED || /^\{[a-z]+\}$/i.test(v);
}

/**
 * src/redact.ts's URL rules (credentials, secret-named and random-looking query values, random path segments), without
 * percent-encoding the template markers an endpoint already carries, and keeping JSONP callback names, which name a
 * function, not a secret (the endpoint template keeps them too).
 */
export function redactUrlKeepingTemplates(url: string): string {
  const m = /^([a-z][a-z0-9+.-]*:\/\/)([^/?#]*)([^?#]*)(\?[^#]*)?(#.*)?$/i.exec(url);
  if (!m) return redactText(url);
  const [, scheme, authority = '', path = '', query = ''] = m;
  const host = authority.includes('@') ? authority.slice(authority.lastIndexOf('@') + 1) : authority;
  const segs = path
    .split('/')
    .map((seg) => (isTemplateMarker(seg) || !looksRandom(safeDecode(seg)) ? seg : REDACTED))
    .join('/');
  const params = query
    .slice(1)
    .split('&')
    .filter((p) => p !== '')
    .map((p) => {
      const eq = p.indexOf('=');
      if (eq < 0) return looksRandom(safeDecode(p)) ? REDACTED : p;
      const name = p.slice(0, eq);
      const value = p.slice(eq + 1);
      const decoded = safeDecode(value);
      if (value === '' || isTemplateMarker(decoded)) return p;
      if (CALLBACK_NAMES.has(name.toLowerCase()) && JS_PATH.test(decoded) && !isSecretName(name)) return p;
      return isSecretName(safeDecode(name)) || looksRandom(decoded) ? `${name}=${REDACTED}` : p;
    });
  return `${scheme}${host}${segs}${params.length ? `?${params.join('&')}` : ''}`;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s;
  }
}
