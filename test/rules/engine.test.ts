import { describe, expect, it } from 'vitest';
import { parsePolicy } from '../../src/config/parse.js';
import { failed, runPolicy } from '../../src/rules/engine.js';
import { analysis, channel } from './build.js';

const policy = (rules: Record<string, unknown>) => parsePolicy({ rules }, 'test');

describe('runPolicy', () => {
  const lp = channel({ id: 'c1' });
  const sp = channel({ id: 'c2', endpoint: 'GET https://example.test/api/status', mode: 'short-poll', timeoutMs: null, pollIntervalMs: 3000 });

  it('one finding per rule × channel it applies to, with status, measured value and limit', () => {
    const f = runPolicy(analysis([lp, sp]), policy({ 'min-hold': { min: '20s' }, 'max-errors': true }));
    expect(f.map((x) => [x.rule, x.channel, x.status])).toEqual([
      ['min-hold', 'c1', 'pass'], // long-poll channels only
      ['max-errors', 'c1', 'pass'],
      ['max-errors', 'c2', 'pass'],
    ]);
    expect(f[0]).toMatchObject({ severity: 'error', measured: 25_000, limit: 20_000, unit: 'ms', source: 'rules.min-hold' });
    expect(f[0]!.message).toBe('timeout 25 s; limit ≥ 20 s');
  });

  it('a rule with no channel to judge fails — silent passes are the bug users report in other tools', () => {
    const f = runPolicy(analysis([sp]), policy({ 'min-hold': { min: '20s' } }));
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ rule: 'min-hold', channel: null, status: 'fail', measured: null });
    expect(f[0]!.message).toMatch(/missing: no long-poll channel in the capture/);
    expect(failed(f)).toBe(true);
  });

  it('…unless optional, which skips it visibly', () => {
    const f = runPolicy(analysis([sp]), policy({ 'min-hold': { min: '20s', optional: true } }));
    expect(f[0]).toMatchObject({ status: 'skip' });
    expect(f[0]!.message).toMatch(/optional, skipped/);
    expect(failed(f)).toBe(false);
  });

  it('a figure missing on a selected channel fails too', () => {
    const f = runPolicy(analysis([channel({ timeoutMs: null })]), policy({ 'min-hold': { min: '20s' } }));
    expect(f[0]).toMatchObject({ status: 'fail', measured: null });
  });

  it('selects channels by endpoint glob, mode, protocol', () => {
    const io = channel({ id: 'c3', endpoint: 'GET https://example.test/socket.io/?EIO=4&transport=polling', protocol: 'socket.io' });
    const a = analysis([lp, sp, io]);
    const ids = (rules: Record<string, unknown>) => runPolicy(a, policy(rules)).map((x) => x.channel);
    expect(ids({ 'max-errors': { select: { endpoint: '/api/*' } } })).toEqual(['c2']);
    expect(ids({ 'max-errors': { select: { mode: ['long-poll', 'short-poll'], protocol: 'socket.io' } } })).toEqual(['c3']);
    // select.mode widens what a rule is about: min-hold on short-poll channels is allowed if asked for.
    expect(ids({ 'min-hold': { min: '1s', of: 'max', select: { mode: 'short-poll' } } })).toEqual(['c2']);
    expect(runPolicy(a, policy({ 'max-errors': { select: { endpoint: '/nothing' } } }))[0]!.message).toMatch(/no push channel with endpoint "\/nothing"/);
  });

  it('warn severity reports without failing; a list gives one entry per selection', () => {
    const a = analysis([lp, sp]);
    const f = runPolicy(a, policy({ 'max-poll-rate': [{ max: '2/min', severity: 'warn', select: { mode: 'long-poll' } }, { max: '30/min', select: { endpoint: '/api/**' } }] }));
    expect(f.map((x) => [x.channel, x.status, x.severity, x.source])).toEqual([
      ['c1', 'fail', 'warn', 'rules.max-poll-rate[0]'],
      ['c2', 'pass', 'error', 'rules.max-poll-rate[1]'],
    ]);
    expect(failed(f)).toBe(false);
  });
});
