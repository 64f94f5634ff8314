import { afterAll, describe, expect, it } from 'vitest';
import { RULES, RULES_BY_ID } from '../../src/rules/index.js';
import type { DeclaredCheck } from '../../src/model.js';
import { ruleTester, tested } from './rule-tester.js';

const rule = (id: string) => RULES_BY_ID.get(id)!;

ruleTester(rule('min-hold'), {
  valid: [
    { name: 'timeout at the minimum', options: { min: '25s' }, text: /timeout 25 s; ≥ 25 s/ },
    { name: 'median hold, when asked', options: { min: '10s', of: 'median' }, channel: { timeoutMs: null } },
  ],
  invalid: [
    { name: 'a proxy answers after 10 s', options: { min: '20s' }, channel: { timeoutMs: 10_000 }, measured: 10_000 },
    { name: 'no timeout seen (data answers only) is missing, not a pass', options: { min: '20s' }, channel: { timeoutMs: null }, missing: true, text: /no server timeout seen/ },
    { name: 'nothing completed', options: { min: '20s', of: 'max' }, channel: { holdMs: null, timeoutMs: null }, missing: true },
  ],
});

ruleTester(rule('max-hold'), {
  valid: [{ name: 'longest hold under the LB timeout', options: { max: '55s' } }],
  invalid: [
    { name: 'held past the limit', options: { max: '20s' }, text: /max hold 25\.?0? s/ },
    { name: 'timeout above the limit', options: { max: '20s', of: 'timeout' } },
  ],
});

// A 2 s timer for five minutes, with a retry storm of 40 requests in 10 s at 2:00.
const timer = Array.from({ length: 150 }, (_, i) => i * 2000);
const storm = [...timer, ...Array.from({ length: 40 }, (_, i) => 120_000 + i * 250)].sort((a, b) => a - b);

ruleTester(rule('max-poll-rate'), {
  valid: [
    { name: 'a 5 s timer is 12/min', options: { max: '12/min' }, figures: { requestsPerMinute: 12 } },
    { name: 'the storm averaged over five minutes', options: { max: '40/min' }, figures: { requestsPerMinute: 37.8, steadyStarts: storm } },
    { name: 'a steady timer peaks at its own rate', options: { max: '30/min', window: '1m' }, figures: { requestsPerMinute: 30, steadyStarts: timer } },
  ],
  invalid: [
    { name: 'twice as often', options: { max: '12/min' }, figures: { requestsPerMinute: 24 }, text: /24\/min; ≤ 12\/min/ },
    { name: 'rates in other units', options: { max: '0.1/s' }, figures: { requestsPerMinute: 7 } },
    { name: 'one request is too few to measure', options: { max: '12/min' }, channel: { requests: 1 }, figures: { requestsPerMinute: null }, missing: true },
    { name: 'the storm at its busiest minute', options: { max: '40/min', window: '1m' }, figures: { requestsPerMinute: 37.8, steadyStarts: storm }, text: /70\/min at the busiest 1 min/ },
    { name: 'a window needs the requests, not a saved report', options: { max: '40/min', window: '1m' }, figures: { requestsPerMinute: 37.8, steadyStarts: null }, missing: true },
  ],
});

ruleTester(rule('max-gap'), {
  valid: [{ name: 'never blind for long', options: { max: '5s' }, figures: { longestGapMs: 1200 } }],
  invalid: [
    { name: 'a 30 s hole', options: { max: '5s' }, figures: { longestGapMs: 30_000 }, measured: 30_000 },
    { name: 'no request times', options: { max: '5s' }, figures: { longestGapMs: null }, missing: true },
  ],
});

ruleTester(rule('require-backoff'), {
  valid: [
    { name: 'exponential back-off', figures: { errorRetryStreaks: [[500, 1000, 2000, 4000]] } },
    { name: 'no failures at all', figures: { errorRetryStreaks: [] }, text: /no retries after errors/ },
    { name: 'a fixed delay when growth is not required', options: { growth: false }, figures: { errorRetryStreaks: [[3000, 3000, 3000, 3000]] } },
    { name: 'two short streaks need not grow', figures: { errorRetryStreaks: [[800], [900, 900]] } },
  ],
  invalid: [
    { name: 'immediate retry loop', figures: { errorRetryStreaks: [[3, 2, 4, 3, 2, 5, 3, 1]] }, text: /8 of 8 retries came within 250 ms/ },
    { name: 'a fixed delay never backs off', figures: { errorRetryStreaks: [[1000, 1000, 1000]] }, text: /did not back off/ },
    { name: 'first retry sooner than minDelay', options: { minDelay: '1s' }, figures: { errorRetryStreaks: [[500, 1000, 2000]] } },
    { name: 'failures but delays unknown', channel: { errors: 3 }, figures: { errorRetryStreaks: null }, missing: true },
  ],
});

ruleTester(rule('max-reconnects-per-minute'), {
  valid: [
    { name: 'under the rate', options: { max: '6/min' }, figures: { reconnectsPerMinute: 2, lifeMs: 60_000 } },
    { name: 'a bare number is per minute', options: { max: 6 }, figures: { reconnectsPerMinute: 6 } },
  ],
  invalid: [
    { name: 'reconnect storm', options: { max: '6/min' }, channel: { reconnect: { pattern: 'immediate', count: 40, delaysMs: [] } }, figures: { reconnectsPerMinute: 40, lifeMs: 60_000 }, text: /40 reconnects in 1 min/ },
    { name: 'life unknown', options: { max: '6/min' }, figures: { reconnectsPerMinute: null }, missing: true },
  ],
});

ruleTester(rule('max-concurrent-per-channel'), {
  valid: [{ name: 'one poll at a time (default max 1)', figures: { maxConcurrent: 1 } }],
  invalid: [
    { name: 'two listeners', figures: { maxConcurrent: 2 }, text: /2 open at once; ≤ 1/ },
    { name: 'unknown without the requests', figures: { maxConcurrent: null }, missing: true },
  ],
});

ruleTester(rule('allowed-modes'), {
  valid: [{ name: 'long-poll allowed', options: { modes: ['websocket', 'long-poll'] } }],
  invalid: [{ name: 'fell back to short polling', options: { modes: 'websocket' }, channel: { mode: 'short-poll', label: 'XHR short polling' }, text: /mode short-poll/ }],
});

ruleTester(rule('forbidden-modes'), {
  valid: [{ name: 'no short polling here', options: { modes: ['short-poll'] } }],
  invalid: [{ name: 'short polling', options: { modes: ['short-poll'] }, channel: { mode: 'short-poll' } }],
});

ruleTester(rule('expect-protocol'), {
  valid: [
    { name: 'socket.io (any case)', options: { protocol: 'Socket.IO' }, channel: { protocol: 'socket.io', protocolVersion: '4' } },
    { name: 'version prefix', options: { protocol: ['engine.io', 'socket.io'], version: '4' }, channel: { protocol: 'engine.io', protocolVersion: '4' } },
  ],
  invalid: [
    { name: 'plain polling where socket.io was expected', options: { protocol: 'socket.io' }, text: /protocol none/ },
    { name: 'old version', options: { protocol: 'socket.io', version: '4' }, channel: { protocol: 'socket.io', protocolVersion: '3' } },
    { name: 'version unknown', options: { protocol: 'socket.io', version: '4' }, channel: { protocol: 'socket.io', protocolVersion: null }, missing: true },
  ],
});

const pingCheck = (observedMs: number | null, agrees: boolean | null): DeclaredCheck => ({
  fact: 'long-poll timeout',
  source: 'Engine.IO handshake pingInterval',
  declaredMs: 25_000,
  observedMs,
  agrees,
});

ruleTester(rule('declared-matches-observed'), {
  valid: [
    { name: 'the protocol module says they agree', channel: { declaredVsObserved: [pingCheck(24_900, true)] }, text: /declared 25 s .*observed 24\.9 s/ },
    { name: 'within an explicit tolerance', options: { tolerance: '10%' }, channel: { declaredVsObserved: [pingCheck(23_000, false)] } },
    { name: 'a fact the capture cannot show is left out when another can be compared', channel: { declaredVsObserved: [pingCheck(25_100, true), { ...pingCheck(null, null), fact: 'ping timeout' }] }, text: /1 not observable/ },
    { name: 'only the named facts', options: { facts: 'timeout' }, channel: { declaredVsObserved: [pingCheck(25_100, true), { ...pingCheck(1000, false), fact: 'SSE retry' }] } },
  ],
  invalid: [
    { name: 'Bayeux says 30 s, holds last 60 s', channel: { declaredVsObserved: [{ fact: 'long-poll timeout', source: 'Bayeux advice.timeout', declaredMs: 30_000, observedMs: 60_000, agrees: false }] } },
    { name: 'outside an absolute tolerance', options: { tolerance: '1s' }, channel: { declaredVsObserved: [pingCheck(23_000, true)] } },
    { name: 'nothing observable', channel: { declaredVsObserved: [pingCheck(null, null)] }, missing: true },
    { name: 'one disagreement fails even beside an unobservable fact', channel: { declaredVsObserved: [pingCheck(40_000, false), { ...pingCheck(null, null), fact: 'ping timeout' }] } },
    { name: 'nothing declared', channel: { declaredVsObserved: [] }, missing: true },
  ],
});

ruleTester(rule('max-errors'), {
  valid: [{ name: 'no errors (default max 0)' }, { name: 'within the allowance', options: { max: 3 }, channel: { errors: 3 } }],
  invalid: [{ name: 'one error', channel: { errors: 1 }, measured: 1 }],
});

ruleTester(rule('no-open-at-end'), {
  valid: [{ name: 'closed before the HAR was saved', channel: { pendingAtEnd: 0 } }],
  invalid: [{ name: 'a poll still open', channel: { pendingAtEnd: 1, openAtEndMs: [12_000] }, text: /1 open at end \(open ≥ 12 s\)/ }],
});

describe('every rule', () => {
  it.each(RULES.map((r) => [r.meta.id, r] as const))('%s is self-describing: id, description, docs, severity, example', (id, r) => {
    expect(r.meta.id).toBe(id);
    expect(r.meta.id).toMatch(/^[a-z]+(-[a-z]+)*$/);
    expect(r.meta.description.length).toBeGreaterThan(20);
    expect(r.meta.docs.length).toBeGreaterThan(20);
    expect(['error', 'warn']).toContain(r.meta.defaultSeverity);
    for (const [name, schema] of Object.entries(r.meta.options)) expect((schema as { description?: string }).description, `${id}.${name}`).toBeTruthy();
    expect(r.meta.example).toBeTruthy();
  });

  afterAll(() => {
    // A rule without valid/invalid cases is a rule nobody has seen fail.
    expect(RULES.map((r) => r.meta.id).filter((id) => !tested.has(id))).toEqual([]);
  });

  it('covers the issue\'s list', () => {
    for (const id of ['min-hold', 'max-hold', 'max-poll-rate', 'max-gap', 'require-backoff', 'max-reconnects-per-minute', 'max-concurrent-per-channel', 'allowed-modes', 'forbidden-modes', 'expect-protocol', 'declared-matches-observed', 'max-errors', 'no-open-at-end']) {
      expect(RULES_BY_ID.has(id), id).toBe(true);
    }
  });
});
