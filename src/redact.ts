// What counts as a secret in a capture, and how it is hidden in every report, warning and error message.
// Reports never print cookies, credentials or token-like values unless the user asks (--no-redact).

export const REDACTED = '…';

/** Query/form names whose value is a session id, token or credential whatever it looks like. */
export const SECRET_NAMES: ReadonlySet<string> = new Set([
  'sid', 'session', 'sessionid', 'session_id', 'sessid', 'jsessionid', 'phpsessid', 'gsessionid', 'clientid', 'client_id',
  'connectiontoken', 'connectionid', 'connection_id', 'token', 'access_token', 'accesstoken', 'id_token', 'refresh_token',
  'auth', 'authorization', 'key', 'apikey', 'api_key', 'pw', 'password', 'passwd', 'secret', 'client_secret', 'nkh',
  'signature', 'sig', 'jwt', 'ticket', 'at', 'uuid', 'guid', 'x-atmosphere-tracking-id', 'trackingid', 'code', 'state',
  'nonce', 'csrf', 'xsrf', 'device_id', 'deviceid', 'user', 'userid', 'user_id', 'uid', 'login', 'email', '$httpheaders',
]);

/** Headers whose value is always a credential. */
const SECRET_HEADERS: ReadonlySet<string> = new Set([
  'cookie', 'set-cookie', 'authorization', 'proxy-authorization', 'x-api-key', 'x-auth-token', 'x-csrf-token', 'x-xsrf-token',
  'x-amz-security-token', 'x-goog-api-key', 'x-atmosphere-tracking-id', 'x-graphql-event-stream-token',
]);

/** A value no one would type: a JWT, a long hex/base64 run, or 8+ characters mixing letters and digits. */
export function looksRandom(value: string): boolean {
  const v = value.trim();
  if (v.length < 8 || v.length > 4096) return v.length > 4096;
  if (/^eyJ[\w-]+\.[\w-]+(\.[\w-]*)?$/.test(v)) return true;
  if (/^[0-9a-f-]{16,}$/i.test(v) && /\d/.test(v)) return true;
  if (/^[0-9a-f]{8,}$/i.test(v) && /\d/.test(v) && /[a-f]/i.test(v)) return true;
  if (!/^[\w\-.~+/=%:]+$/.test(v)) return false;
  const letters = /[A-Za-z]/.test(v);
  const digits = /\d/.test(v);
  if (letters && digits && !/^[a-z]+\d{1,2}$/i.test(v)) return true;
  if (v.length >= 20 && /[A-Z]/.test(v) && /[a-z]/.test(v) && !wordLike(v)) return true;
  return false;
}

/**
 * Words run together, without digits: camelCase and hyphenated names, with short acronyms (`reconnectionDelayMax`,
 * `X-Atmosphere-Transport`, `If-None-Match/If-Modified-Since`). Such names are long and mix cases. A word here is a
 * run of 3+ letters, lower case after its first, with a vowel; an acronym is 2–5 capitals; a part between separators
 * may also be a word of one or two letters (`If`, `X`); and the pieces average 4+ letters. Measured on random
 * mixed-case letter strings (300,000 each): 0.15% of 20-letter ones pass, 0.005% of 32-letter ones, and none of
 * those drawn from letters, digits, `-` and `_` from 24 characters on.
 */
function wordLike(v: string): boolean {
  if (/\d/.test(v)) return false;
  const parts = v.split(/[-_.~+/=:%]+/).filter((p) => p !== '');
  let pieces = 0;
  let letters = 0;
  for (const part of parts) {
    if (/^[A-Za-z][a-z]?$/.test(part)) {
      pieces += 1;
      letters += part.length;
      continue;
    }
    const words = part.match(/[A-Z]+(?![a-z])|[A-Z]?[a-z]+/g) ?? [];
    if (words.join('') !== part) return false;
    for (const w of words) {
      pieces += 1;
      letters += w.length;
      const word = /^[A-Z]?[a-z]{2,}$/.test(w) && /[aeiouy]/.test(w.slice(1));
      if (!word && !/^[A-Z]{2,5}$/.test(w)) return false;
    }
  }
  return pieces > 0 && letters / pieces >= 4;
}

export function isSecretName(name: string): boolean {
  return SECRET_NAMES.has(name.toLowerCase());
}

export function redactHeader(name: string, value: string): string {
  return SECRET_HEADERS.has(name.toLowerCase()) ? REDACTED : redactText(value);
}

// Runs of 20+ token characters, JWTs, and name=value pairs whose name is a secret, inside free text.
const LONG_RUN = /[A-Za-z0-9_\-.~+/=]{20,}/g;
const JWT = /eyJ[\w-]{5,}\.[\w-]{5,}\.[\w-]*/g;
const NAMED = /\b([A-Za-z_$][\w$-]{0,40})=([^&\s"'<>;,]{1,4096})/g;

/** Hides secret-looking runs in text that holds no URL. Linear time: no nested quantifiers. */
function redactRuns(text: string): string {
  return text
    .replace(JWT, REDACTED)
    .replace(NAMED, (all, name: string, value: string) => (isSecretName(name) || looksRandom(value) ? `${name}=${REDACTED}` : all))
    .replace(LONG_RUN, (run) => (looksRandom(run) ? REDACTED : run));
}

const URL_IN_TEXT = /\b(?:https?|wss?):\/\/[^\s"'<>`]+/gi;

/** Hides secrets in free text (evidence, warnings, frames): URLs by the URL rules, so host, port and path stay
 * readable, and everything else by its secret-looking runs. */
export function redactText(text: string): string {
  let out = '';
  let last = 0;
  for (const m of text.matchAll(URL_IN_TEXT)) {
    out += redactRuns(text.slice(last, m.index));
    out += redactUrl(m[0]);
    last = m.index + m[0].length;
  }
  return out + redactRuns(text.slice(last));
}

const CALLBACK_NAMES = new Set(['callback', 'cb', 'jsonp', 'jsoncallback', 'c', '_callback']);
const JS_PATH = /^[A-Za-z_$][\w$]*(\.[\w$]+)*$/;

function isTemplateMarker(v: string): boolean {
  return v === REDACTED || /^\{[a-z]+\}$/i.test(v);
}

/**
 * A URL with credentials, secret-named and random-looking query values and random path segments hidden. Template
 * markers an endpoint already carries (`{n}`, `…`) stay as they are, and so do JSONP callback names, which name a
 * function, not a secret.
 */
export function redactUrl(url: string): string {
  const m = /^([a-z][a-z0-9+.-]*:\/\/)([^/?#]*)([^?#]*)(\?[^#]*)?(#.*)?$/i.exec(url);
  if (!m) return redactRuns(url);
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
