import { z } from 'zod';
import { oneOrMany } from '../config/schema.js';
import { DURATION_PATTERN, formatMs, parseDuration } from '../config/units.js';
import type { ChannelReport, DeclaredCheck } from '../model.js';
import { defineRule, missing } from './types.js';

/** "20%" → a share of the declared value; "2s" → an absolute band. */
const tolerance = z.unknown().transform((v, ctx): { share: number } | { ms: number } => {
  if (typeof v === 'string') {
    const pct = /^\s*(\d+(?:\.\d+)?)\s*%\s*$/.exec(v);
    if (pct) return { share: Number(pct[1]) / 100 };
    const ms = parseDuration(v);
    if (ms !== null) return { ms };
  }
  ctx.addIssue({ code: 'custom', message: `bad tolerance ${JSON.stringify(v)}: write a share ("20%") or a duration ("2s")` });
  return z.NEVER;
}).meta({ type: 'string', anyOf: [{ pattern: '^\\s*\\d+(\\.\\d+)?\\s*%\\s*$' }, { pattern: DURATION_PATTERN }] });

export default defineRule({
  meta: {
    id: 'declared-matches-observed',
    description: 'What a protocol announces about its timing (a handshake\'s ping interval, Bayeux advice.timeout, SSE retry) matches what the capture shows.',
    docs: 'Reads the channel\'s declaredVsObserved checks. Without "tolerance" it uses each check\'s own verdict (agrees); with it, |observed − declared| must stay within the tolerance. A fact the capture cannot show (observed null) is left out; when no fact can be compared the figure is missing.',
    defaultSeverity: 'error',
    options: {
      tolerance: tolerance.optional().describe('allowed difference: "20%" of the declared value, or a duration such as "2s"; default: the protocol module\'s own verdict'),
      facts: oneOrMany(z.string().min(1)).optional().describe('only these facts (matched case-insensitively as substrings of the fact, e.g. "timeout")'),
    },
    appliesTo: { where: (c) => (c.declaredVsObserved?.length ?? 0) > 0, describe: 'channels that announce their timing' },
    needs: ['declaredVsObserved'],
    example: { tolerance: '20%' },
  },
  check(c, o) {
    const checks = relevant(c, o.facts);
    const limitText = o.tolerance ? ('share' in o.tolerance ? `within ${Math.round(o.tolerance.share * 100)}%` : `within ${formatMs(o.tolerance.ms)}`) : 'agree';
    if (checks.length === 0) return missing(`no announced ${o.facts ? o.facts.join(' or ') : 'timing'}`, limitText, limitText);
    const verdicts = checks.map((k) => verdict(k, o.tolerance));
    const text = checks.map((k) => `${k.fact} declared ${formatMs(k.declaredMs)} (${k.source}), observed ${k.observedMs === null ? 'unknown' : formatMs(k.observedMs)}`).join('; ');
    const measured = checks.map((k) => k.observedMs);
    if (verdicts.includes(false)) return { pass: false, measured, limit: limitText, measuredText: text, limitText };
    // Some facts never show in a healthy capture (a ping timeout only shows when a ping is missed): they are
    // missing only when nothing at all could be compared.
    if (!verdicts.includes(true)) return { ...missing(text, limitText, limitText), measured };
    const unseen = verdicts.filter((v) => v === null).length;
    return { pass: true, measured, limit: limitText, measuredText: text, limitText, ...(unseen ? { detail: `${unseen} not observable in this capture` } : {}) };
  },
});

function relevant(c: ChannelReport, facts: string[] | undefined): DeclaredCheck[] {
  const all = c.declaredVsObserved ?? [];
  if (!facts) return all;
  const want = facts.map((f) => f.toLowerCase());
  return all.filter((k) => want.some((f) => k.fact.toLowerCase().includes(f)));
}

function verdict(k: DeclaredCheck, tol: { share: number } | { ms: number } | undefined): boolean | null {
  if (!tol) return k.agrees;
  if (k.observedMs === null) return null;
  const band = 'share' in tol ? tol.share * k.declaredMs : tol.ms;
  return Math.abs(k.observedMs - k.declaredMs) <= band;
}
