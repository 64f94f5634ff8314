import { describe, expect, it } from 'vitest';
import { endpointMatches } from '../../src/rules/select.js';

const EP = 'GET http://127.0.0.1:35055/lp?cursor={n}';

describe('endpoint globs', () => {
  it.each([
    ['/lp', true],
    ['/lp*', true],
    ['/l*', true],
    ['**/lp', true],
    ['/lp?cursor=*', true],
    ['/lp?*', true],
    ['GET /lp', true],
    ['POST /lp', false],
    ['/poll', false],
    ['/lp?other=*', false],
    ['http://127.0.0.1:*/lp*', true],
    ['https://*/lp*', false],
  ])('%s → %s', (glob, expected) => {
    expect(endpointMatches(glob, EP)).toBe(expected);
  });

  it('* stops at /, ** does not', () => {
    const ep = 'GET https://api.example.com/socket.io/?EIO=4&transport=polling';
    expect(endpointMatches('/socket.io/*', ep)).toBe(true);
    expect(endpointMatches('/*', ep)).toBe(false);
    expect(endpointMatches('/**', ep)).toBe(true);
    expect(endpointMatches('/socket.io/?*transport=polling*', ep)).toBe(true);
  });
});
