// Which channels a policy entry applies to: an endpoint glob, a mode, a carrier, a protocol.
import type { ChannelReport } from '../model.js';
import type { Selector } from '../config/schema.js';
import type { Rule } from './types.js';

/**
 * Endpoint globs: `*` is any run of characters but `/`, `**` any run at all; everything else is literal (so `?` in a
 * URL is just `?`). A glob with `://` is matched against the whole URL, one without against the path — and the
 * query too when the glob has a `?`. A leading method ("POST /bind*") must match the channel's method.
 * Endpoints are templates as the report prints them ("/lp?cursor={n}"), with secrets shown as "…".
 */
export function endpointMatches(glob: string, endpoint: string): boolean {
  const sp = endpoint.indexOf(' ');
  const method = sp > 0 ? endpoint.slice(0, sp) : '';
  const url = sp > 0 ? endpoint.slice(sp + 1) : endpoint;
  let pattern = glob.trim();
  const m = /^([A-Z]+)\s+(.*)$/.exec(pattern);
  if (m) {
    if (m[1] !== method.toUpperCase()) return false;
    pattern = m[2]!;
  }
  let subject: string;
  if (pattern.includes('://')) subject = url;
  else {
    const pathAndQuery = url.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i, '') || '/';
    subject = pattern.includes('?') ? pathAndQuery : pathAndQuery.replace(/[?#].*$/, '');
  }
  return globToRegExp(pattern).test(subject);
}

export function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*') {
      if (glob[i + 1] === '*') {
        re += '.*';
        i++;
      } else re += '[^/]*';
    } else re += c.replace(/[.+^${}()|[\]\\?]/g, '\\$&');
  }
  return new RegExp(`^${re}$`, 'i');
}

/** Does the channel fall under the entry's selection, and under what the rule is about? */
export function selects(rule: Rule, select: Selector | undefined, c: ChannelReport): boolean {
  const about = rule.meta.appliesTo;
  const modes = select?.mode ?? about?.modes;
  if (modes && !modes.includes(c.mode)) return false;
  if (about?.where && !about.where(c)) return false;
  if (select?.carrier && !select.carrier.includes(c.carrier)) return false;
  if (select?.protocol && !select.protocol.some((p) => p.toLowerCase() === c.protocol.toLowerCase())) return false;
  if (select?.endpoint && !select.endpoint.some((g) => endpointMatches(g, c.endpoint))) return false;
  return true;
}

/** "long-poll channels with endpoint /lp*": for the message when nothing matches. */
export function describeSelection(rule: Rule, select: Selector | undefined): string {
  const about = rule.meta.appliesTo;
  const parts: string[] = [];
  if (select?.mode) parts.push(`${select.mode.join(' or ')} channel`);
  else if (about) parts.push(about.describe.replace(/s$/, ''));
  else parts.push('push channel');
  if (select?.mode && about?.where) parts.push(`(${about.describe})`);
  if (select?.endpoint) parts.push(`with endpoint ${select.endpoint.map((g) => JSON.stringify(g)).join(' or ')}`);
  if (select?.protocol) parts.push(`speaking ${select.protocol.join(' or ')}`);
  if (select?.carrier) parts.push(`carried by ${select.carrier.join(' or ')}`);
  return parts.join(' ');
}
