// The check renderers: JUnit stays well-formed whatever the messages hold; annotations escape what GitHub needs.
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/model.js';
import { renderAnnotations, renderFindingsText, shortEndpoint, tally } from '../../src/report/findings.js';
import { renderJunit } from '../../src/report/junit.js';
import { analysis, channel } from './build.js';

const a = analysis([channel({ id: 'c1', endpoint: 'GET https://example.test/poll?a=1&b=<2>' })]);
const f = (over: Partial<Finding>): Finding => ({ rule: 'max-errors', severity: 'error', channel: 'c1', message: 'm', status: 'pass', ...over });

describe('renderJunit', () => {
  it('escapes markup and control characters, counts failures and skips, keeps warn failures out of <failure>', () => {
    const xml = renderJunit(a, [
      f({ status: 'fail', message: 'a "quoted" <b> & \u0001 100%' }),
      f({ rule: 'min-hold', channel: null, status: 'skip', message: 'missing' }),
      f({ rule: 'max-gap', status: 'fail', severity: 'warn', message: 'slow' }),
      f({ rule: 'max-poll-rate' }),
    ]);
    expect(xml).toMatch(/tests="4" failures="1" errors="0" skipped="1"/);
    expect(xml).toContain('name="max-errors · c1 GET /poll?a=1&amp;b=&lt;2&gt;"');
    expect(xml).toContain('<failure message="a &quot;quoted&quot; &lt;b&gt; &amp; \uFFFD 100%" type="max-errors">');
    expect(xml).toContain('<skipped message="missing"/>');
    expect(xml).toContain('<system-out>warning: slow</system-out>');
    expect(xml).not.toMatch(/[\u0001]/);
  });

  it('tells apart two entries of the same rule by where the policy set them', () => {
    const xml = renderJunit(a, [f({ source: 'rules.max-errors[0]' }), f({ source: 'rules.max-errors[1]' })]);
    expect(xml).toContain('name="max-errors [rules.max-errors[0]] · c1');
    expect(xml).toContain('name="max-errors [rules.max-errors[1]] · c1');
  });
});

describe('renderAnnotations', () => {
  it('one workflow command per broken rule, escaped; warnings for warn rules; nothing for passes and skips', () => {
    const out = renderAnnotations(a, [
      f({ status: 'fail', message: 'line 1\nline 2: 50%' }),
      f({ rule: 'max-gap', status: 'fail', severity: 'warn', message: 'w' }),
      f({ rule: 'min-hold', channel: null, status: 'skip' }),
      f({ rule: 'max-poll-rate' }),
    ]);
    expect(out.split('\n').filter(Boolean)).toEqual([
      '::error title=comet-inspect max-errors (c1)::c1 GET /poll?a=1&b=<2>: line 1%0Aline 2: 50%25',
      '::warning title=comet-inspect max-gap (c1)::c1 GET /poll?a=1&b=<2>: w',
    ]);
  });
});

describe('text', () => {
  it('labels each line and sums up', () => {
    const findings = [f({ status: 'fail' }), f({ status: 'fail', severity: 'warn' }), f({ status: 'skip' }), f({})];
    expect(tally(findings)).toEqual({ checks: 4, passed: 1, failed: 1, warned: 1, skipped: 1 });
    const text = renderFindingsText(a, findings, { color: false, policy: 'p.json' });
    expect(text.split('\n').slice(3, 7).map((l) => l.slice(2, 6))).toEqual(['FAIL', 'warn', 'skip', 'pass']);
    expect(text).toMatch(/Result {4}FAIL {2}4 checks: 1 passed, 1 failed, 1 warning, 1 skipped\n$/);
  });

  it('drops the scheme and host from endpoints', () => {
    expect(shortEndpoint('GET http://127.0.0.1:8080/lp?cursor={n}')).toBe('GET /lp?cursor={n}');
    expect(shortEndpoint('GET ws://h/ws')).toBe('GET /ws');
  });
});
