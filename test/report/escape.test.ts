// Capture strings are hostile input: HTML and Markdown escape them, and secrets stay hidden unless --no-redact.
import { describe, expect, it } from 'vitest';
import { htmlOf, prepare } from '../../src/cli/analyze.js';
import { buildTimeline } from '../../src/report/lanes.js';
import { md, renderAnalysisMarkdown } from '../../src/report/markdown.js';
import { esc, scriptHash } from '../../src/report/html.js';
import { redactText as redactFreeText, redactUrl as redactUrlKeepingTemplates } from '../../src/redact.js';
import { capture, chain, exchange } from '../helpers/exchange.js';

const tool = { name: 'comet-inspect', version: '0.0.0-test' };
const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJlc2lnbmF0dXJl';
const EVIL = '<img src=x onerror=alert(1)>';

function hostileCapture() {
  const page = exchange({ at: 0, url: `https://h.test/?q=${encodeURIComponent(EVIL)}`, mimeType: 'text/html', resourceType: 'document', hold: 50 });
  const polls = chain(5, (i) => ({
    url: `https://h.test/poll?token=s3cretTOKENvalue42&clientId=abc123def456&x=${encodeURIComponent('"><script>alert(1)</script>')}&jwt2=${JWT}&n=${i}`,
    hold: 10_000,
    responseBody: '[]',
    requestHeaders: [{ name: 'Authorization', value: 'Bearer s3cretTOKENvalue42' }, { name: 'Cookie', value: 'sid=abcdef0123456789' }],
  }), 5, 100);
  const js = exchange({ at: 60, url: 'javascript:alert(1)', mimeType: '', resourceType: 'other', hold: 1 });
  return capture([page, js, ...polls], { file: `evil${EVIL}.har` });
}

describe('HTML report of a hostile capture', () => {
  const render = (redact: boolean) => {
    const p = prepare([hostileCapture()], { redact }, tool);
    return { p, html: htmlOf([p], { redact }, { title: 'report', compare: null, ordinary: 'fold' }) };
  };

  it('escapes every capture string and renders nothing from the capture as a link or markup', () => {
    const { html } = render(false);
    expect(html).not.toContain('<script>alert');
    expect(html).not.toContain('<img src=x');
    expect(html).not.toMatch(/href="javascript:/i);
    expect(html).toContain('&#60;img src=x onerror=alert(1)&#62;');
    // One script element only: the report's own.
    expect(html.match(/<script/g)).toHaveLength(1);
    // Links point only at the report's own anchors.
    for (const m of html.matchAll(/href="([^"]*)"/g)) expect(m[1]).toMatch(/^#ch-/);
  });

  it('has a CSP that allows only its own hashed script and inline styles, and fetches nothing', () => {
    const { html } = render(true);
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1] ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain(`script-src '${scriptHash()}'`);
    expect(html).not.toMatch(/\b(src|href)="(https?:)?\/\//);
    expect(html).not.toMatch(/@import|url\(/);
  });

  it('hides tokens, client ids, JWTs and cookies by default, and shows them with --no-redact', () => {
    const hidden = render(true).html;
    for (const secret of ['s3cretTOKENvalue42', 'abc123def456', JWT]) expect(hidden).not.toContain(secret);
    expect(hidden).toContain('token=…');
    const shown = render(false).html;
    expect(shown).toContain('s3cretTOKENvalue42');
    expect(shown).toContain('--no-redact');
  });

  it('draws one bar per request of each channel, with hover details', () => {
    const { p, html } = render(true);
    const lanes = buildTimeline(p.analysis, p.detailed.channels, p.ordinary, { ordinary: 'hide', redact: p.redact }).lanes;
    expect(lanes.length).toBeGreaterThan(0);
    for (const lane of lanes) {
      const svg = new RegExp(`<svg class="timeline" id="timeline-1-${lane.id}"[\\s\\S]*?</svg>`).exec(html)?.[0] ?? '';
      expect(svg.match(/<rect class="bar/g)).toHaveLength(lane.requests.length);
      expect(svg).toMatch(/data-status="200"/);
      expect(svg).toMatch(/data-hold="/);
    }
  });
});

describe('escaping and redaction helpers', () => {
  it('esc covers text and attribute contexts', () => {
    expect(esc(`<a href='x' title="y">&\``)).toBe('&#60;a href=&#39;x&#39; title=&#34;y&#34;&#62;&#38;&#96;');
  });

  it('md neither breaks tables nor passes HTML, links or mentions through', () => {
    expect(md('a|b <b>x</b> [l](javascript:x) @team')).toBe('a\\|b &lt;b&gt;x&lt;/b&gt; \\[l\\](javascript:x) \\@team');
    expect(md('see http://h.test/x and www.h.test')).toBe('see http&#58;//h.test/x and www&#46;h.test');
  });

  it('keeps endpoint templates and callback names readable while hiding secrets', () => {
    expect(redactUrlKeepingTemplates('http://h:1/wangwang/poll?nkh=…&appId={n}&callback=TDog.WebServer.handleMessage')).toBe(
      'http://h:1/wangwang/poll?nkh=…&appId={n}&callback=TDog.WebServer.handleMessage',
    );
    expect(redactUrlKeepingTemplates('https://u:p@h/a/9f8e7d6c5b4a39281706?sid=x1&gsessionid=abc&pw=hunter2&SID=Q&t=5')).toBe('https://h/a/…?sid=…&gsessionid=…&pw=…&SID=…&t=5');
    expect(redactUrlKeepingTemplates('https://h/p?%24httpHeaders=X-Auth%3Aabc&connectionToken=q')).toBe('https://h/p?%24httpHeaders=…&connectionToken=…');
    expect(redactFreeText(`handshake said sid=${'a1b2c3d4e5f6'} and token ${JWT} at https://h/x?token=zz`)).toBe('handshake said sid=… and token … at https://h/x?token=…');
  });

  it('leaves long header, option and parameter names in evidence readable, but not random letters', () => {
    // Words from evidence lines that were hidden as tokens before (the protocol modules quote such names).
    for (const name of ['If-None-Match/If-Modified-Since', 'reconnectionDelayMax', 'X-Atmosphere-Transport=long-polling', 'transport=longPolling', 'getNotificationsForUser']) {
      expect(redactFreeText(`says ${name} here`)).toBe(`says ${name} here`);
    }
    for (const token of ['VCXCEuvhGcBDPXhiJJUDvReDeiVjgZVRiaV', 'aBcDeFgHiJkLmNoPqRsTuV', 'Qx9-ZpL_4kTfWmRb2yHsDc']) {
      expect(redactFreeText(`says ${token} here`)).toBe('says … here');
    }
    // Random mixed-case letters of 20 (a seeded draw): nearly all of them are still hidden.
    let seed = 42;
    const next = () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 8) / (1 << 24);
    const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
    let shown = 0;
    for (let i = 0; i < 5000; i += 1) {
      let t = '';
      for (let j = 0; j < 20; j += 1) t += letters[Math.floor(next() * letters.length)];
      if (!/[A-Z]/.test(t) || !/[a-z]/.test(t)) continue;
      if (redactFreeText(t) === t) shown += 1;
    }
    expect(shown).toBeLessThan(25);
  });

  it('markdown of the hostile capture hides secrets and escapes HTML', () => {
    const p = prepare([hostileCapture()], { redact: true }, tool);
    const text = renderAnalysisMarkdown(p.analysis);
    expect(text).not.toContain('s3cretTOKENvalue42');
    expect(text).not.toContain('<img');
  });
});
