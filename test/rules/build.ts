// Hand-built Analysis objects for rule tests: a plausible long-poll channel, overridden field by field.
import type { Analysis, ChannelReport } from '../../src/model.js';

export const START = '2024-01-01T00:00:00.000Z';
export const END = '2024-01-01T00:01:00.000Z';

export function channel(over: Partial<ChannelReport> = {}): ChannelReport {
  return {
    id: 'c1',
    endpoint: 'GET https://example.test/lp?cursor={n}',
    mode: 'long-poll',
    carrier: 'xhr',
    protocol: 'none',
    protocolVersion: null,
    label: 'XHR long-polling',
    confidence: 0.9,
    evidence: [],
    requests: 4,
    errors: 0,
    pendingAtEnd: 1,
    holdMs: { min: 2000, median: 20000, p95: 25000, max: 25010 },
    timeoutMs: 25000,
    pollIntervalMs: 15000,
    repollDelayMs: { median: 5, max: 9 },
    reconnect: { pattern: 'none', count: 0, delaysMs: [] },
    coverage: 0.99,
    gaps: [],
    messages: 2,
    declared: {},
    phases: [{ kind: 'poll', start: START, end: END, requests: 4 }],
    ...over,
  };
}

export function analysis(channels: ChannelReport[] = [channel()], over: Partial<Analysis> = {}): Analysis {
  return {
    schemaVersion: 1,
    tool: { name: 'comet-inspect', version: 'test' },
    inputs: [{ file: 'test.har', creator: 'test', exporter: 'other', harVersion: '1.2', entries: 10, pages: 1, truncated: false, warnings: [] }],
    capture: { start: START, end: END, durationMs: 60_000 },
    traffic: { byType: {}, byState: { complete: 0, aborted: 0, failed: 0, open: 0 } },
    channels,
    findings: [],
    ...over,
  };
}
