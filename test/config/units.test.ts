import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DURATION_PATTERN, formatMs, formatRate, parseDuration, parseRate, RATE_PATTERN } from '../../src/config/units.js';

describe('durations', () => {
  it.each([
    ['25s', 25_000],
    ['500ms', 500],
    ['2m', 120_000],
    ['2min', 120_000],
    ['1.5s', 1500],
    [' 30 s ', 30_000],
    ['1h', 3_600_000],
  ])('%s → %d ms', (text, ms) => expect(parseDuration(text)).toBe(ms));

  it.each(['25', '', 's', '25 sec ago', '-5s', '5 weeks', '1e3ms', '20 secs'])('%j is not a duration', (text) => expect(parseDuration(text)).toBeNull());

  it('formats for people', () => {
    expect(formatMs(250)).toBe('250 ms');
    expect(formatMs(1500)).toBe('1.5 s');
    expect(formatMs(25_000)).toBe('25 s');
    expect(formatMs(120_000)).toBe('2 min');
  });
});

describe('rates', () => {
  it.each([
    ['12/min', 12],
    ['1/s', 60],
    ['0.5/s', 30],
    ['120/h', 2],
    ['6 / minute', 6],
  ])('%s → %d per minute', (text, perMin) => expect(parseRate(text)).toBe(perMin));

  it.each(['12', '12/day', '/min', 'twelve/min', '12/'])('%j is not a rate', (text) => expect(parseRate(text)).toBeNull());

  it('formats per minute', () => {
    expect(formatRate(12)).toBe('12/min');
    expect(formatRate(26.43)).toBe('26.4/min');
    expect(formatRate(0.25)).toBe('0.25/min');
  });
});

// The policy's JSON Schema (schema/config.schema.json) says what a duration and a rate look like with a pattern; an
// editor must accept exactly what the tool reads.
describe('the JSON Schema patterns of durations and rates', () => {
  const pieces = ['', ' ', '  ', '0', '1', '25', '1.5', '.5', '2.', '-1', '/', '%', 'ms', 'MS', 's', 'S', 'sec', 'Sec', 'm', 'min', 'MIN', 'h', 'H', 'hour', 'second', 'minute', 'x', 'secs', 'mins', '\t'];
  const text = fc.array(fc.constantFrom(...pieces), { maxLength: 6 }).map((p) => p.join(''));

  it('accept a duration exactly when parseDuration reads one', () => {
    const re = new RegExp(DURATION_PATTERN);
    fc.assert(fc.property(text, (s) => re.test(s) === (parseDuration(s) !== null)), { numRuns: 3000 });
  });

  it('accept a rate exactly when parseRate reads one', () => {
    const re = new RegExp(RATE_PATTERN);
    fc.assert(fc.property(text, (s) => re.test(s) === (parseRate(s) !== null)), { numRuns: 3000 });
  });
});
