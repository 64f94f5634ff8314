// Golden outputs of every format on the committed samples. Deterministic: no clock, no colour, fixed widths, a fixed
// tool version; sample paths relative to the repository root, as a user would type them.
import { beforeAll, describe, it } from 'vitest';
import { htmlOf, prepare, type Prepared } from '../../src/cli/analyze.js';
import { loadCapture } from '../../src/har/load.js';
import { buildComparison, comparisonJson } from '../../src/report/compare.js';
import { renderComparisonText } from '../../src/report/compare-text.js';
import { buildTimeline, timelineJson } from '../../src/report/lanes.js';
import { renderAnalysisMarkdown, renderComparisonMarkdown } from '../../src/report/markdown.js';
import { renderText } from '../../src/report/text.js';
import { renderTimelineText } from '../../src/report/timeline-text.js';
import { golden, ROOT } from './golden.js';

const tool = { name: 'comet-inspect', version: '0.0.0-golden' };
const flags = { redact: true };
// A fixed list, not the folder: a new sample gets golden files when someone adds it here and reviews them.
const SAMPLES = [
  'fetch-stream.har',
  'fetch-stream.no-store.har',
  'long-poll-backoff.har',
  'page-with-assets.har',
  'renren-iframe-streaming.har',
  'short-poll-timer.har',
  'sse-retry.har',
  'sse-two-tabs.har',
  'stopped-open.chrome-har.har',
  'stopped-open.har',
  'taobao-polling.har',
  'websocket-echo.devtools.har',
  'websocket-echo.har',
  'xhr-long-poll.chrome-har.har',
  'xhr-long-poll.har',
  // Protocol samples (real socket.io, engine.io, sockjs and faye servers).
  'engine.io-upgrade.har',
  'faye-callback-polling.har',
  'faye-long-polling.har',
  'socket.io-polling.har',
  'socket.io-restart.har',
  'socket.io-upgrade.har',
  'socket.io-two-tabs.har',
  'socket.io-websocket-two-tabs-restart.har',
  'sockjs-eventsource.har',
  'sockjs-htmlfile.har',
  'sockjs-jsonp-polling.har',
  'sockjs-websocket.har',
  'sockjs-xhr-polling.har',
  'sockjs-xhr-streaming.har',
];
const DETAILED = ['renren-iframe-streaming.har', 'taobao-polling.har', 'long-poll-backoff.har', 'socket.io-upgrade.har', 'faye-long-polling.har'];
const PAIR = ['renren-iframe-streaming.har', 'taobao-polling.har'];

const prepared = new Map<string, Prepared>();
const cwd = process.cwd();

beforeAll(async () => {
  process.chdir(ROOT);
  try {
    for (const s of SAMPLES) prepared.set(s, prepare([await loadCapture(`samples/${s}`, { input: 0 })], flags, tool));
  } finally {
    process.chdir(cwd);
  }
});

const stem = (s: string): string => s.replace(/\.har$/, '');
const get = (s: string): Prepared => prepared.get(s)!;
const timeline = (s: string, ordinary: 'fold' | 'hide' | 'by-host' = 'fold') =>
  buildTimeline(get(s).analysis, get(s).detailed.channels, get(s).ordinary, { ordinary, redact: get(s).redact });

describe('analyze', () => {
  for (const s of SAMPLES) {
    it(`text and markdown: ${s}`, () => {
      golden(`analyze/${stem(s)}.txt`, renderText(get(s).analysis, { color: false, width: 100 }));
      golden(`analyze/${stem(s)}.md`, renderAnalysisMarkdown(get(s).analysis));
    });
  }
  for (const s of DETAILED) {
    it(`json and html: ${s}`, () => {
      golden(`analyze/${stem(s)}.json`, JSON.stringify(get(s).analysis, null, 2) + '\n');
      golden(`analyze/${stem(s)}.html`, htmlOf([get(s)], flags, { title: 'comet-inspect report', compare: null, ordinary: 'hide' }));
    });
  }
});

describe('timeline', () => {
  for (const s of SAMPLES) {
    it(`text, width 100: ${s}`, () => {
      golden(`timeline/${stem(s)}.txt`, renderTimelineText([timeline(s)], { width: 100, color: false }));
    });
  }
  it('zoomed, ordinary traffic by host, and as JSON', () => {
    const s = 'long-poll-backoff.har';
    golden('timeline/long-poll-backoff.zoom-8s-20s.txt', renderTimelineText([timeline(s, 'by-host')], { width: 100, color: false, from: 8000, to: 20000 }));
    golden('timeline/long-poll-backoff.json', JSON.stringify(timelineJson([timeline(s)], tool), null, 2) + '\n');
    golden('timeline/taobao-polling.width-80.txt', renderTimelineText([timeline('taobao-polling.har', 'hide')], { width: 80, color: false }));
  });
});

describe('compare', () => {
  it('the classic pair in every format', () => {
    const ps = PAIR.map(get);
    const cmp = buildComparison(ps.map((p) => p.analysis));
    golden('compare/classic-pair.txt', renderComparisonText(cmp, { color: false }));
    golden('compare/classic-pair.width-80.txt', renderComparisonText(cmp, { color: false, width: 80 }));
    golden('compare/classic-pair.md', renderComparisonMarkdown(cmp));
    golden('compare/classic-pair.json', JSON.stringify(comparisonJson(cmp, tool), null, 2) + '\n');
    golden('compare/classic-pair.html', htmlOf(ps, flags, { title: 'comet-inspect compare', compare: ps, ordinary: 'hide' }));
  });

  it('four captures', () => {
    const cmp = buildComparison([...PAIR, 'long-poll-backoff.har', 'sse-retry.har'].map((s) => get(s).analysis));
    golden('compare/four-captures.txt', renderComparisonText(cmp, { color: false }));
  });
});
