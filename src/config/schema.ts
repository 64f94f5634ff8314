// The zod pieces a policy is built from: durations, rates, counts, mode lists and channel selectors.
// Rules use these for their options, so every rule's options read and fail the same way. The ones read by a
// transform carry what they accept as JSON Schema (`.meta`), for the policy's published schema (json-schema.ts).
import { z } from 'zod';
import { DURATION_HINT, DURATION_PATTERN, parseDuration, parseRate, RATE_HINT, RATE_PATTERN } from './units.js';

export const MODES = ['short-poll', 'long-poll', 'stream', 'websocket'] as const;
export const CARRIERS = ['xhr', 'script', 'iframe', 'eventsource', 'websocket', 'other'] as const;
export const SEVERITIES = ['error', 'warn'] as const;

/** A duration written with its unit ("25s", "500ms", "2m"), read as milliseconds. */
export function duration() {
  return z.unknown().transform((v, ctx): number => {
    if (v === undefined) {
      ctx.addIssue({ code: 'custom', message: `is required (${DURATION_HINT})` });
      return z.NEVER;
    }
    const ms = typeof v === 'string' ? parseDuration(v) : null;
    if (ms === null) {
      ctx.addIssue({ code: 'custom', message: `bad duration ${JSON.stringify(v)}: ${DURATION_HINT}` });
      return z.NEVER;
    }
    return ms;
  }).meta({ type: 'string', pattern: DURATION_PATTERN });
}

/** A rate ("12/min", "1/s"), read as a count per minute. */
export function rate() {
  return z.unknown().transform((v, ctx): number => {
    if (v === undefined) {
      ctx.addIssue({ code: 'custom', message: `is required (${RATE_HINT})` });
      return z.NEVER;
    }
    const perMin = typeof v === 'string' ? parseRate(v) : null;
    if (perMin === null) {
      ctx.addIssue({ code: 'custom', message: `bad rate ${JSON.stringify(v)}: ${RATE_HINT}` });
      return z.NEVER;
    }
    return perMin;
  }).meta({ type: 'string', pattern: RATE_PATTERN });
}

/** A whole number ≥ 0; a numeric string from a command-line flag is accepted too. */
export function count() {
  return z.unknown().transform((v, ctx): number => {
    const n = typeof v === 'string' && /^\s*\d+\s*$/.test(v) ? Number(v) : v;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) {
      ctx.addIssue({ code: 'custom', message: v === undefined ? 'is required (a whole number ≥ 0)' : `bad count ${JSON.stringify(v)}: write a whole number ≥ 0` });
      return z.NEVER;
    }
    return n;
  }).meta({ anyOf: [{ type: 'integer', minimum: 0 }, { type: 'string', pattern: '^\\s*\\d+\\s*$' }] });
}

/** One value or a list of them, read as a list. */
export function oneOrMany<T extends z.ZodType>(item: T) {
  return z.union([item, z.array(item).min(1)]).transform((v) => (Array.isArray(v) ? v : [v]) as z.output<T>[]);
}

export const modeList = () => oneOrMany(z.enum(MODES));

/** Which channels a rule applies to; every field given must match (a list matches any of its values). */
export const selectorSchema = z.strictObject({
  endpoint: oneOrMany(z.string().min(1)).optional().describe('glob on the endpoint: "/lp*", "**/poll?*", "https://api.example.com/**", "POST /bind*"'),
  mode: modeList().optional().describe(`channel mode: ${MODES.join(', ')}`),
  carrier: oneOrMany(z.enum(CARRIERS)).optional().describe(`carrier: ${CARRIERS.join(', ')}`),
  protocol: oneOrMany(z.string().min(1)).optional().describe('protocol as reported: none, socket.io, sockjs, bayeux, …'),
});
export type Selector = z.output<typeof selectorSchema>;

/** Options every rule entry takes beside its own. */
export const commonEntryShape = {
  severity: z.enum(SEVERITIES).optional().describe('error (fails the run) or warn (reported, exit 0); default: the rule\'s own'),
  optional: z.boolean().optional().describe('true: a missing figure (no matching channel, nothing measurable) is skipped instead of failing'),
  select: selectorSchema.optional().describe('which channels the rule applies to (default: the channels the rule is about)'),
};
