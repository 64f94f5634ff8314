import { describe, expect, it } from 'vitest';
import { cli } from './run.js';

const LP = 'samples/long-poll-backoff.har';

describe('timeline', () => {
  it('draws one lane per channel across 80 columns when not a terminal, with an axis and a legend', () => {
    const r = cli(['timeline', LP]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(/^Timeline {2}samples\/long-poll-backoff\.har {2}2026-11-28T05:58:45\.185Z \+ 29\.1 s$/);
    const lane = lines.find((l) => l.startsWith('c1 fetch long-polling'))!;
    expect([...lane].length).toBeLessThanOrEqual(80);
    expect(lane).toMatch(/×/);
    expect(lane).toMatch(/·/);
    expect(lane).toMatch(/▶$/);
    expect(r.stdout).toMatch(/^ +└┬─+┬/m);
    expect(r.stdout).toMatch(/ 0 s +10 s +20 s/);
    expect(r.stdout).toMatch(/─ waiting \(held by the server\)/);
    expect(r.stdout).toMatch(/^ordinary traffic +│●/m);
    expect(r.stdout).not.toMatch(/\x1b\[/);
  });

  it('colours only when asked and allowed: FORCE_COLOR yes, NO_COLOR and --no-color no', () => {
    expect(cli(['timeline', LP], { env: { NO_COLOR: '', FORCE_COLOR: '1' } }).stdout).toMatch(/\x1b\[/);
    expect(cli(['timeline', LP, '--no-color'], { env: { NO_COLOR: '', FORCE_COLOR: '1' } }).stdout).not.toMatch(/\x1b\[/);
    expect(cli(['timeline', LP], { env: { NO_COLOR: '1', FORCE_COLOR: '1' } }).stdout).not.toMatch(/\x1b\[/);
  });

  it('zooms with --from/--to, hides ordinary traffic on request, and honours --width', () => {
    const r = cli(['timeline', LP, '--from', '8s', '--to', '0:20', '--hide-ordinary', '--width', '100']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/zoomed to 8 s–20 s/);
    expect(r.stdout).not.toMatch(/ordinary traffic/);
    for (const l of r.stdout.split('\n')) expect([...l].length).toBeLessThanOrEqual(100);
    const bad = cli(['timeline', LP, '--from', 'soon']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/not a time offset: soon/);
  });

  it('prints lanes as JSON, markdown and HTML', () => {
    const j = JSON.parse(cli(['timeline', LP, '--format', 'json']).stdout) as { kind: string; captures: { lanes: { id: string; requests: { outcome: string }[] }[] }[] };
    expect(j.kind).toBe('timeline');
    const c1 = j.captures[0]!.lanes.find((l) => l.id === 'c1')!;
    expect(c1.requests.filter((q) => q.outcome === 'error')).toHaveLength(4);
    expect(cli(['timeline', LP, '--format', 'markdown']).stdout).toMatch(/^## comet-inspect timeline\n\n```text\nTimeline/);
    expect(cli(['timeline', LP, '--format', 'html']).stdout).toMatch(/<svg class="timeline" id="timeline-1-c1"/);
  });

  it('shows an example in --help', () => {
    expect(cli(['timeline', '--help']).stdout).toMatch(/Examples:\n\s+\$ comet-inspect timeline samples\/long-poll-backoff\.har/);
  });
});
