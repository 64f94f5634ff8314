import { describe, expect, it } from 'vitest';
import { formatDuration } from '../../src/report/format.js';

describe('formatDuration', () => {
  it('rounds each unit before splitting it: never "60 s", "1 min 60 s" or "5 h 60 min"', () => {
    expect(formatDuration(999.4)).toBe('999 ms');
    expect(formatDuration(999.6)).toBe('1 s');
    expect(formatDuration(9994)).toBe('9.99 s');
    expect(formatDuration(59_940)).toBe('59.9 s');
    expect(formatDuration(59_960)).toBe('1 min');
    expect(formatDuration(119_600)).toBe('2 min');
    expect(formatDuration(3_599_400)).toBe('59 min 59 s');
    expect(formatDuration(3_599_600)).toBe('1 h');
    expect(formatDuration(21_570_000)).toBe('6 h');
    expect(formatDuration(21_540_000)).toBe('5 h 59 min');
    expect(formatDuration(-59_960)).toBe('-1 min');
    expect(formatDuration(null)).toBe('–');
  });
});
