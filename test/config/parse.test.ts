import { describe, expect, it } from 'vitest';
import { entriesFromFlags, mergeEntries, parsePolicy } from '../../src/config/parse.js';
import { ConfigError } from '../../src/config/policy.js';

function issues(data: unknown, prefix: string[] = []): string[] {
  try {
    parsePolicy(data, 'policy.json', prefix);
  } catch (err) {
    if (err instanceof ConfigError) return err.issues.map((i) => `${i.path}: ${i.message}`);
    throw err;
  }
  return [];
}

describe('parsePolicy', () => {
  it('reads durations, rates, severities, selections and the shorthand forms', () => {
    const entries = parsePolicy(
      {
        $schema: './node_modules/comet-inspect/policy.schema.json',
        rules: {
          'min-hold': { min: '20s', select: { endpoint: '/lp*' } },
          'max-poll-rate': [{ max: '12/min', severity: 'warn' }, { max: '1/s', select: { mode: 'short-poll' }, optional: true }],
          'require-backoff': true,
          'max-errors': 'warn',
          'no-open-at-end': 'off',
          'max-gap': false,
        },
      },
      'policy.json',
    );
    expect(entries).toEqual([
      { rule: 'min-hold', severity: 'error', optional: false, select: { endpoint: ['/lp*'] }, options: { min: 20_000, of: 'timeout' }, source: 'rules.min-hold' },
      { rule: 'max-poll-rate', severity: 'warn', optional: false, options: { max: 12 }, source: 'rules.max-poll-rate[0]' },
      { rule: 'max-poll-rate', severity: 'error', optional: true, select: { mode: ['short-poll'] }, options: { max: 60 }, source: 'rules.max-poll-rate[1]' },
      { rule: 'require-backoff', severity: 'error', optional: false, options: { growth: true }, source: 'rules.require-backoff' },
      { rule: 'max-errors', severity: 'warn', optional: false, options: {}, source: 'rules.max-errors' },
    ]);
  });

  it('reports every mistake at once, each with its path', () => {
    const got = issues({
      rules: {
        'max-hol': { max: '20s' },
        'min-hold': { min: '20 secs', mni: 3 },
        'max-poll-rate': { max: 12 },
        'max-gap': {},
        'forbidden-modes': { modes: ['short-poll', 'comet'] },
        'max-errors': { max: -1, severity: 'fatal' },
        'expect-protocol': { protocol: 'socket.io', select: { endpont: '/x' } },
        'require-backoff': 42,
        'allowed-modes': [{ modes: 'stream' }, 'x'],
      },
      extra: 1,
    });
    expect(got).toEqual([
      'extra: unknown key (known: $schema, rules)',
      'rules.max-hol: unknown rule (did you mean "max-hold"?) (comet-inspect check --list-rules lists them)',
      'rules.min-hold.min: bad duration "20 secs": write a number and a unit, e.g. "500ms", "25s", "2m"',
      'rules.min-hold.mni: unknown option (did you mean "min"?) (known: min, of, severity, optional, select)',
      'rules.max-poll-rate.max: bad rate 12: write a count per unit of time, e.g. "12/min", "1/s", "100/h"',
      'rules.max-gap.max: is required (write a number and a unit, e.g. "500ms", "25s", "2m")',
      'rules.forbidden-modes.modes[1]: must be one of "short-poll", "long-poll", "stream", "websocket", not string "comet"',
      'rules.max-errors.severity: must be one of "error", "warn", not string "fatal"',
      'rules.max-errors.max: bad count -1: write a whole number ≥ 0',
      'rules.expect-protocol.select.endpont: unknown option (did you mean "endpoint"?) (known: endpoint, mode, carrier, protocol)',
      'rules.require-backoff: must be "off", "error", "warn", true, false, an options object, or a list of options objects, not 42',
      'rules.allowed-modes[1]: must be an options object',
    ]);
  });

  it('prefixes paths inside package.json, and refuses an empty or missing rule set', () => {
    expect(issues({ rules: { 'min-hold': { min: 5 } } }, ['comet-inspect'])).toEqual([
      'comet-inspect.rules.min-hold.min: bad duration 5: write a number and a unit, e.g. "500ms", "25s", "2m"',
    ]);
    expect(issues({ rules: {} })).toEqual(['rules: no rule configured: an empty policy would pass anything']);
    expect(issues({})).toEqual(['rules: is required']);
    expect(issues([])).toHaveLength(1);
  });
});

describe('rule flags', () => {
  it('become entries through the same schema; a bad value names the flag', () => {
    expect(entriesFromFlags({ maxPollRate: '12/min', minHold: '20s', requireBackoff: true, openAtEnd: true })).toEqual([
      { rule: 'min-hold', severity: 'error', optional: false, options: { min: 20_000, of: 'timeout' }, source: '--min-hold' },
      { rule: 'max-poll-rate', severity: 'error', optional: false, options: { max: 12 }, source: '--max-poll-rate' },
      { rule: 'require-backoff', severity: 'error', optional: false, options: { growth: true }, source: '--require-backoff' },
    ]);
    expect(entriesFromFlags({ openAtEnd: false, forbidModes: 'short-poll,stream' }).map((e) => [e.rule, e.options])).toEqual([
      ['forbidden-modes', { modes: ['short-poll', 'stream'] }],
      ['no-open-at-end', {}],
    ]);
    let err: unknown;
    try {
      entriesFromFlags({ maxPollRate: '12', minHold: '20 secs', maxConcurrentPerChannel: 'two' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).issues.map((i) => i.path)).toEqual(['--min-hold', '--max-poll-rate', '--max-concurrent-per-channel']);
  });

  it('replace the file\'s entries for the same rule and keep the rest', () => {
    const file = parsePolicy({ rules: { 'max-poll-rate': { max: '60/min' }, 'max-errors': true } }, 'f');
    const merged = mergeEntries(file, entriesFromFlags({ maxPollRate: '12/min' }));
    expect(merged.map((e) => [e.rule, e.source])).toEqual([
      ['max-errors', 'rules.max-errors'],
      ['max-poll-rate', '--max-poll-rate'],
    ]);
  });
});
