import { describe, expect, it } from 'vitest';
import { commandsFor } from '../../src/cli/main.js';

const names = (args: string[]): string[] => commandsFor(args).map((c) => c.name);

describe('which commands a run loads', () => {
  it('loads only the command it runs', () => {
    expect(names(['check', 'a.har', '--max-poll-rate', '12/min'])).toEqual(['check']);
    expect(names(['compare', 'a.har', 'b.har'])).toEqual(['compare']);
    expect(names(['--format', 'json', 'validate', 'a.har'])).toEqual(['analyze']); // as commander reads it: analyze --format json, with captures "validate" and "a.har"
  });

  it('loads analyze, the default, when the first word is a capture or stdin', () => {
    expect(names(['capture.har', '--format', 'json'])).toEqual(['analyze']);
    expect(names(['-'])).toEqual(['analyze']);
  });

  it('loads every command when help may list them, and none for --version alone', () => {
    expect(names([])).toEqual(['analyze', 'compare', 'timeline', 'validate', 'check']);
    expect(names(['--help'])).toHaveLength(5);
    expect(names(['help', 'check'])).toHaveLength(5);
    expect(names(['-V'])).toEqual([]);
  });
});
