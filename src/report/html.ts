// The HTML report: one self-contained file (inline CSS, one inline script allowed by its hash, no fetches) with the
// summary table, the comparison when several captures are given, and an SVG timeline per channel with hover details.
// Every string that comes from a capture goes through esc(); nothing from a capture becomes a link.
import { createHash } from 'node:crypto';
import type { Analysis, ChannelReport } from '../model.js';
import type { Comparison } from './compare.js';
import { cadenceText, protocolText, reconnectText, shortEndpoint } from './compare.js';
import { clock, formatBytes, formatDuration, formatPercent, phaseLine, plural, tickLabel, tickStep } from './format.js';
import type { Outcome } from '../measure/summary.js';
import { OUTCOME_WORDS, type Lane, type LaneRequest, type TimelineModel } from './lanes.js';

export interface HtmlSection {
  /** Heading: the capture file(s). */
  title: string;
  analysis: Analysis;
  timeline: TimelineModel;
}

export interface HtmlReport {
  title: string;
  tool: { name: string; version: string };
  sections: HtmlSection[];
  comparison?: Comparison;
  /** False under --no-redact: the page says so at the top. */
  redacted: boolean;
}

/** Escapes text for HTML text and quoted attribute context alike. */
export function esc(value: unknown): string {
  return String(value).replace(/[&<>"'`]/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

// The one script: a tooltip filled with textContent (never innerHTML) from the hovered bar's data attributes.
const SCRIPT = `(function () {
  var tip = document.getElementById('tip');
  var FIELDS = [['when', 'time'], ['req', 'request'], ['status', 'status'], ['outcome', 'outcome'], ['hold', 'hold'], ['dur', 'duration'], ['bytes', 'bytes'], ['phase', 'phase'], ['gap', 'gap before']];
  function show(el, x, y) {
    tip.textContent = '';
    var head = document.createElement('strong');
    head.textContent = el.getAttribute('data-lane') || '';
    tip.appendChild(head);
    FIELDS.forEach(function (f) {
      var v = el.getAttribute('data-' + f[0]);
      if (!v) return;
      var row = document.createElement('div');
      var k = document.createElement('span');
      k.className = 'k';
      k.textContent = f[1];
      row.appendChild(k);
      row.appendChild(document.createTextNode(' ' + v));
      tip.appendChild(row);
    });
    tip.hidden = false;
    var w = tip.offsetWidth, h = tip.offsetHeight;
    var left = Math.min(x + 14, window.innerWidth - w - 8);
    var top = y + 16 + h > window.innerHeight ? y - h - 10 : y + 16;
    tip.style.left = Math.max(4, left) + window.scrollX + 'px';
    tip.style.top = Math.max(4, top) + window.scrollY + 'px';
  }
  document.addEventListener('mouseover', function (e) {
    var el = e.target && e.target.closest ? e.target.closest('[data-req]') : null;
    if (el) show(el, e.clientX, e.clientY); else tip.hidden = true;
  });
  document.addEventListener('mousemove', function (e) {
    var el = e.target && e.target.closest ? e.target.closest('[data-req]') : null;
    if (el && !tip.hidden) show(el, e.clientX, e.clientY);
  });
  document.addEventListener('focusin', function (e) {
    var el = e.target && e.target.closest ? e.target.closest('[data-req]') : null;
    if (!el) return;
    var r = el.getBoundingClientRect();
    show(el, r.left, r.bottom);
  });
  document.addEventListener('focusout', function () { tip.hidden = true; });
})();`;

const STYLE = `
:root { --fg: #1d2430; --muted: #5b6575; --line: #d5dae2; --bg: #fff; --panel: #f6f8fa;
  --hold: #4f7fd8; --recv: #2e9e5b; --data: #1f8a4c; --empty: #d49b00; --unknown: #7d8796; --error: #d23a3a; --open: #a640c9; --gap: #d23a3a; --ordinary: #9aa3b0; }
* { box-sizing: border-box; }
body { margin: 0; padding: 24px 32px 64px; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: var(--bg); }
h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 18px; margin: 32px 0 8px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
h3 { font-size: 15px; margin: 24px 0 4px; } .muted { color: var(--muted); }
code, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12.5px; word-break: break-all; }
table { border-collapse: collapse; margin: 8px 0 16px; font-size: 13px; }
th, td { border: 1px solid var(--line); padding: 4px 8px; text-align: left; vertical-align: top; }
th { background: var(--panel); font-weight: 600; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
table.compare th[scope=row] { white-space: nowrap; }
ul.diff li { margin: 2px 0; } .warn { color: #9a6700; } .banner { background: #fff4d6; border: 1px solid #e8c66a; padding: 6px 10px; display: inline-block; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px; margin: 6px 0; } dl.facts dt { color: var(--muted); } dl.facts dd { margin: 0; }
figure { margin: 8px 0 12px; } figcaption { color: var(--muted); font-size: 12px; }
svg.timeline { width: 100%; height: auto; display: block; background: var(--panel); border: 1px solid var(--line); border-radius: 4px; }
svg .axis line { stroke: var(--line); } svg .axis text { fill: var(--muted); font-size: 11px; font-family: system-ui, sans-serif; }
svg .bar { fill: var(--hold); } svg .bar.setup { fill: #7b8fc7; } svg .bar.ordinary { fill: var(--ordinary); }
svg .recv { fill: var(--recv); } svg .gap { stroke: var(--gap); stroke-dasharray: 2 3; stroke-width: 2; }
svg .end-data { fill: var(--data); } svg .end-empty { fill: #fff; stroke: var(--empty); stroke-width: 2; } svg .end-unknown { fill: var(--unknown); }
svg .end-error, svg .end-aborted { fill: var(--error); } svg .end-open { fill: var(--open); }
svg .s-data { fill: var(--data); } svg .s-empty { fill: var(--empty); } svg .s-unknown { fill: var(--unknown); }
svg .s-error, svg .s-aborted { fill: var(--error); } svg .s-open { fill: var(--open); } svg .slice:hover rect, svg .slice:focus rect { filter: brightness(0.8); }
svg .hit { fill: transparent; } svg [data-req] { cursor: default; outline: none; } svg [data-req]:hover .bar, svg [data-req]:focus .bar { filter: brightness(0.8); stroke: #000; stroke-width: 1; }
.legend { display: flex; flex-wrap: wrap; gap: 4px 16px; font-size: 12px; color: var(--muted); margin: 4px 0 0; padding: 0; list-style: none; }
.legend i { display: inline-block; width: 14px; height: 10px; margin-right: 4px; vertical-align: -1px; border-radius: 2px; }
.legend .hold { background: var(--hold); } .legend .recv { background: var(--recv); } .legend .data { background: var(--data); border-radius: 50%; width: 10px; }
.legend .empty { border: 2px solid var(--empty); border-radius: 50%; width: 10px; } .legend .error { background: var(--error); } .legend .open { background: var(--open); }
.legend .gap { border-top: 2px dashed var(--gap); height: 0; } .legend .unknown { background: var(--unknown); }
details { margin: 4px 0 8px; } summary { cursor: pointer; color: var(--muted); }
#tip { position: absolute; z-index: 10; max-width: 520px; background: #1d2430; color: #fff; font-size: 12px; padding: 6px 9px; border-radius: 5px; pointer-events: none; box-shadow: 0 2px 8px rgba(0,0,0,.25); word-break: break-all; }
#tip .k { display: inline-block; min-width: 78px; color: #aab4c3; } #tip strong { display: block; margin-bottom: 2px; }
footer { margin-top: 40px; color: var(--muted); font-size: 12px; }
`;

export function scriptHash(): string {
  return `sha256-${createHash('sha256').update(SCRIPT, 'utf8').digest('base64')}`;
}

export function renderHtml(report: HtmlReport): string {
  const csp = `default-src 'none'; style-src 'unsafe-inline'; script-src '${scriptHash()}'; img-src data:; base-uri 'none'; form-action 'none'`;
  const body: string[] = [];
  body.push(`<header><h1>${esc(report.title)}</h1>`);
  body.push(`<p class="muted">${report.sections.map((s) => esc(s.title)).join(' · ')}</p>`);
  if (!report.redacted) body.push('<p class="banner">Shown with <code>--no-redact</code>: cookies, tokens and session ids appear as captured.</p>');
  body.push('</header>');
  if (report.comparison) body.push(...compareHtml(report.comparison));
  for (const [i, s] of report.sections.entries()) body.push(...sectionHtml(s, i));
  body.push(`<footer>${esc(report.tool.name)} ${esc(report.tool.version)}</footer>`);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(report.title)}</title>
<style>${STYLE}</style>
</head>
<body>
${body.join('\n')}
<div id="tip" role="tooltip" hidden></div>
<script>${SCRIPT}</script>
</body>
</html>
`;
}

function compareHtml(cmp: Comparison): string[] {
  const out = ['<section id="compare"><h2>Comparison</h2>', '<table class="compare"><thead><tr><th></th>'];
  for (const c of cmp.columns) out.push(`<th scope="col">${esc(c.name)}</th>`);
  out.push('</tr></thead><tbody>');
  for (const r of cmp.rows) {
    out.push(`<tr data-row="${esc(r.key)}"><th scope="row">${esc(r.label)}</th>${r.values.map((v) => `<td${r.key === 'endpoint' ? ' class="mono"' : ''}>${esc(v)}</td>`).join('')}</tr>`);
  }
  out.push('</tbody></table>');
  if (cmp.differences.length) {
    out.push('<h3>What differs most</h3><ul class="diff">');
    for (const s of cmp.differences) out.push(`<li>${esc(s)}</li>`);
    out.push('</ul>');
  }
  out.push('</section>');
  return out;
}

function sectionHtml(s: HtmlSection, index: number): string[] {
  const a = s.analysis;
  const out = [`<section class="capture" id="capture-${index + 1}"><h2>${esc(s.title)}</h2>`, '<dl class="facts">'];
  for (const input of a.inputs) {
    out.push(`<dt>capture</dt><dd><code>${esc(input.file)}</code></dd>`);
    out.push(`<dt>exporter</dt><dd>${esc(input.creator)} (${esc(input.exporter)}), HAR ${esc(input.harVersion ?? '?')}, ${esc(plural(input.entries, 'entry', 'entries'))}${input.truncated ? ', cut off (salvaged)' : ''}</dd>`);
    for (const w of input.warnings) out.push(`<dt class="warn">warning</dt><dd class="warn">${esc(w)}</dd>`);
  }
  out.push(`<dt>duration</dt><dd>${esc(formatDuration(a.capture.durationMs))}${a.capture.start ? ` <span class="muted">(${esc(a.capture.start)} → ${esc(a.capture.end)})</span>` : ''}</dd>`);
  const states = Object.entries(a.traffic.byState).filter(([, v]) => v > 0).map(([k, v]) => `${k} ${v}`).join(' · ');
  out.push(`<dt>entries</dt><dd>${esc(Object.entries(a.traffic.byType).sort((x, y) => y[1] - x[1]).map(([k, v]) => `${k} ${v}`).join(' · ') || 'none')} <span class="muted">(${esc(states || 'none')})</span></dd>`);
  out.push('</dl>');
  if (a.channels.length === 0) out.push('<p>No push channels found: this capture shows only ordinary request/response traffic.</p>');
  else out.push(...summaryTable(a.channels));
  const span = s.timeline.start !== null && s.timeline.end !== null ? { t0: s.timeline.start, t1: s.timeline.end } : null;
  for (const ch of a.channels) {
    const lane = s.timeline.lanes.find((l) => l.kind === 'channel' && l.id === ch.id);
    out.push(...channelHtml(ch, lane, span, index));
  }
  for (const lane of s.timeline.lanes.filter((l) => l.kind === 'ordinary')) {
    out.push(`<h3>${esc(lane.title)} <span class="muted">${esc(lane.detail)}</span></h3>`);
    if (span) out.push(svgTimeline(lane, span, `${index + 1}-${lane.id}`));
    if (span && sliced(lane)) out.push(`<p class="muted">${esc(`${plural(lane.requests.length, 'request')}, ${SLICED_NOTE}`)}</p>`);
  }
  if (span && s.timeline.lanes.length > 0) out.push(legendHtml());
  out.push('</section>');
  return out;
}

function summaryTable(channels: ChannelReport[]): string[] {
  const head = ['id', 'push', 'endpoint', 'req', 'hold med / max', 'timeout', 're-poll / interval', 'reconnects', 'coverage', 'messages', 'open at end'];
  const out = ['<table class="summary"><thead><tr>', ...head.map((h) => `<th>${esc(h)}</th>`), '</tr></thead><tbody>'];
  for (const ch of channels) {
    const cells = [
      `<td><a href="#ch-${esc(ch.id)}">${esc(ch.id)}</a></td>`,
      `<td>${esc(ch.label)}</td>`,
      `<td class="mono">${esc(shortEndpoint(ch.endpoint))}</td>`,
      `<td class="num">${ch.requests}</td>`,
      `<td>${esc(ch.holdMs ? `${formatDuration(ch.holdMs.median)} / ${formatDuration(ch.holdMs.max)}` : '–')}</td>`,
      `<td>${esc(formatDuration(ch.timeoutMs))}</td>`,
      `<td>${esc(cadenceText(ch))}</td>`,
      `<td>${esc(reconnectText(ch))}</td>`,
      `<td class="num">${esc(formatPercent(ch.coverage))}</td>`,
      `<td class="num">${ch.messages === null ? '–' : ch.messages}</td>`,
      `<td class="num">${ch.pendingAtEnd || '–'}</td>`,
    ];
    out.push(`<tr>${cells.join('')}</tr>`);
  }
  out.push('</tbody></table>');
  return out;
}

function channelHtml(ch: ChannelReport, lane: Lane | undefined, span: { t0: number; t1: number } | null, index: number): string[] {
  const out = [`<article class="channel" id="ch-${esc(ch.id)}"><h3>${esc(ch.id)} ${esc(ch.label)}</h3>`, `<p><code>${esc(ch.endpoint)}</code></p>`];
  out.push('<dl class="facts">');
  out.push(`<dt>kind</dt><dd>mode ${esc(ch.mode)} · carrier ${esc(ch.carrier)} · protocol ${esc(protocolText(ch))} · confidence ${esc(formatPercent(ch.confidence))}</dd>`);
  out.push(`<dt>figures</dt><dd>${esc([plural(ch.requests, 'request'), plural(ch.errors, 'error'), `coverage ${formatPercent(ch.coverage)}`, ch.messages !== null ? plural(ch.messages, 'message') : null].filter(Boolean).join(' · '))}</dd>`);
  if (ch.holdMs) out.push(`<dt>hold</dt><dd>min ${esc(formatDuration(ch.holdMs.min))} · median ${esc(formatDuration(ch.holdMs.median))} · p95 ${esc(formatDuration(ch.holdMs.p95))} · max ${esc(formatDuration(ch.holdMs.max))}</dd>`);
  if (ch.phases.length) out.push(`<dt>phases</dt><dd>${esc(phaseLine(ch.phases))}</dd>`);
  for (const d of ch.declaredVsObserved ?? []) {
    out.push(`<dt>${esc(d.fact)}</dt><dd>declared ${esc(formatDuration(d.declaredMs))} (${esc(d.source)}) vs observed ${esc(formatDuration(d.observedMs))} — ${d.agrees === null ? 'not observable' : d.agrees ? 'agrees' : '<strong>disagrees</strong>'}</dd>`);
  }
  out.push('</dl>');
  if (lane && span) {
    const caption = sliced(lane)
      ? `${plural(lane.requests.length, 'request')} of ${ch.id} across the capture, ${SLICED_NOTE}; hover a slice for its counts`
      : `${plural(lane.requests.length, 'request')} of ${ch.id} across the capture; hover a bar for details`;
    out.push(`<figure>${svgTimeline(lane, span, `${index + 1}-${ch.id}`)}<figcaption>${esc(caption)}</figcaption></figure>`);
  }
  if (ch.evidence.length) {
    out.push('<details><summary>evidence</summary><ul>');
    for (const e of ch.evidence) out.push(`<li>${esc(e)}</li>`);
    out.push('</ul></details>');
  }
  out.push('</article>');
  return out;
}

const W = 1000;
const LEFT = 8;
const RIGHT = 8;
const ROW = 18;
const BAR = 10;
const AXIS = 22;

/**
 * Past this many requests a lane is drawn as counts per time slice: a bar per request is about 1 KB of HTML, and a
 * day of polling would make a file of hundreds of MB that no browser opens.
 */
const MAX_BARS = 2000;
const SLICES = 400;
const SLICED_NOTE = `counted in ${SLICES} time slices (too many to draw one by one)`;
const sliced = (lane: Lane): boolean => lane.requests.length > MAX_BARS;
const SLICE_H = 3 * ROW;
/** Stacking order of a slice's outcomes, bottom up: the ones that need attention first. */
const SLICE_ORDER: readonly Outcome[] = ['error', 'aborted', 'open', 'empty', 'unknown', 'data'];

function svgTimeline(lane: Lane, span: { t0: number; t1: number }, key: string): string {
  if (sliced(lane)) return svgSlices(lane, span, key);
  const plot = W - LEFT - RIGHT;
  const dur = Math.max(1, span.t1 - span.t0);
  const x = (t: number): number => LEFT + ((Math.min(span.t1, Math.max(span.t0, t)) - span.t0) / dur) * plot;
  // Requests that overlap in time go on separate rows; a loop's back-to-back requests share one.
  const rowEnd: number[] = [];
  const placed = lane.requests.map((q) => {
    const x0 = x(q.start);
    const x1 = Math.max(x0 + 2, x(q.end));
    let r = rowEnd.findIndex((end) => end <= q.start);
    if (r < 0) r = rowEnd.length < 12 ? rowEnd.length : 11;
    rowEnd[r] = Math.max(rowEnd[r] ?? -Infinity, q.end);
    return { q, x0, x1, r };
  });
  const rows = Math.max(1, rowEnd.length);
  const h = 6 + rows * ROW + AXIS;
  const out = [`<svg class="timeline" id="timeline-${esc(key)}" data-lane="${esc(lane.id)}" viewBox="0 0 ${W} ${h}" role="img" aria-label="${esc(`timeline of ${lane.title}`)}" xmlns="http://www.w3.org/2000/svg">`];
  out.push(...axisSvg(span, dur, plot, 6 + rows * ROW));
  for (const { q, x0, x1, r } of placed) out.push(requestSvg(lane, q, x0, x1, 6 + r * ROW + (ROW - BAR) / 2, x, span.t0));
  out.push('</svg>');
  return out.join('\n');
}

function svgSlices(lane: Lane, span: { t0: number; t1: number }, key: string): string {
  const plot = W - LEFT - RIGHT;
  const dur = Math.max(1, span.t1 - span.t0);
  const counts = Array.from({ length: SLICES }, () => ({ total: 0, by: new Map<Outcome, number>() }));
  for (const q of lane.requests) {
    const i = Math.min(SLICES - 1, Math.max(0, Math.floor(((q.start - span.t0) / dur) * SLICES)));
    const c = counts[i]!;
    c.total += 1;
    c.by.set(q.outcome, (c.by.get(q.outcome) ?? 0) + 1);
  }
  let most = 1;
  for (const c of counts) most = Math.max(most, c.total);
  const h = 6 + SLICE_H + AXIS;
  const base = 6 + SLICE_H;
  const wide = plot / SLICES;
  const out = [`<svg class="timeline sliced" id="timeline-${esc(key)}" data-lane="${esc(lane.id)}" viewBox="0 0 ${W} ${h}" role="img" aria-label="${esc(`timeline of ${lane.title}, requests counted per time slice`)}" xmlns="http://www.w3.org/2000/svg">`];
  out.push(...axisSvg(span, dur, plot, base));
  counts.forEach((c, i) => {
    if (c.total === 0) return;
    const from = span.t0 + (i / SLICES) * dur;
    const to = span.t0 + ((i + 1) / SLICES) * dur;
    const x0 = LEFT + i * wide;
    const outcomes = SLICE_ORDER.filter((o) => c.by.has(o)).map((o) => `${c.by.get(o)} ${OUTCOME_WORDS[o]}`).join(' · ');
    const when = `+${formatDuration(from - span.t0)} – +${formatDuration(to - span.t0)} (${clock(new Date(from).toISOString())}–${clock(new Date(to).toISOString())})`;
    const what = plural(c.total, 'request');
    const parts = [
      `<g class="req slice" tabindex="0" data-lane="${esc(lane.title)}" data-when="${esc(when)}" data-req="${esc(what)}" data-outcome="${esc(outcomes)}">`,
      `<title>${esc(`${lane.title}: ${what} started ${when}\n${outcomes}`)}</title>`,
      `<rect class="hit" x="${r1(x0)}" y="6" width="${r1(wide)}" height="${SLICE_H}"/>`,
    ];
    let y = base;
    for (const o of SLICE_ORDER) {
      const n = c.by.get(o);
      if (!n) continue;
      const hh = Math.max(1, (n / most) * SLICE_H);
      y -= hh;
      parts.push(`<rect class="s-${o}" x="${r1(x0)}" y="${r1(y)}" width="${r1(Math.max(1, wide - 0.5))}" height="${r1(hh)}"/>`);
    }
    parts.push('</g>');
    out.push(parts.join(''));
  });
  out.push('</svg>');
  return out.join('\n');
}

function axisSvg(span: { t0: number; t1: number }, dur: number, plot: number, y: number): string[] {
  const step = tickStep(dur, Math.floor(plot / 8));
  const out = ['<g class="axis">', `<line x1="${LEFT}" y1="${y}" x2="${W - RIGHT}" y2="${y}"/>`];
  for (let t = 0; t <= dur; t += step) {
    const px = r1(LEFT + (t / dur) * plot);
    out.push(`<line x1="${px}" y1="4" x2="${px}" y2="${y + 4}"/><text x="${px + 2}" y="${y + 15}">${esc(tickLabel(t, step))}</text>`);
  }
  out.push('</g>');
  return out;
}

function requestSvg(lane: Lane, q: LaneRequest, x0: number, x1: number, y: number, x: (t: number) => number, t0: number): string {
  const hold = q.firstByte !== null ? q.firstByte - q.start : null;
  const attrs: Record<string, string> = {
    'data-req': '',
    'data-lane': lane.title,
    'data-when': `+${formatDuration(q.start - t0)} (${clock(new Date(q.start).toISOString())})`,
    'data-req-text': `${q.method} ${q.url}`,
    'data-status': q.status ? String(q.status) : q.state,
    'data-outcome': OUTCOME_WORDS[q.outcome],
    'data-hold': hold === null ? '' : formatDuration(hold),
    'data-dur': formatDuration(q.end - q.start),
    'data-bytes': `${formatBytes(q.bytes)} body · ${formatBytes(q.headerBytes)} headers`,
    'data-phase': q.phase,
    'data-gap': q.reconnectGapMs !== null ? formatDuration(q.reconnectGapMs) : '',
  };
  // data-req is the marker; the request line is shown as "request".
  attrs['data-req'] = `${q.method} ${q.url}`;
  delete attrs['data-req-text'];
  const title = [
    `${lane.title}: ${q.method} ${q.url}`,
    `time ${attrs['data-when']}`,
    `status ${attrs['data-status']} · ${attrs['data-outcome']}`,
    hold !== null ? `hold ${attrs['data-hold']}` : null,
    `duration ${attrs['data-dur']}`,
    `bytes ${attrs['data-bytes']}`,
    `phase ${q.phase}`,
    q.reconnectGapMs !== null ? `gap before ${attrs['data-gap']}` : null,
  ].filter(Boolean).join('\n');
  const attrText = Object.entries(attrs).filter(([, v]) => v !== '').map(([k, v]) => ` ${k}="${esc(v)}"`).join('');
  const cls = lane.kind === 'ordinary' ? 'bar ordinary' : q.phase === 'setup' ? 'bar setup' : 'bar';
  const parts = [`<g class="req outcome-${q.outcome}" tabindex="0"${attrText}>`, `<title>${esc(title)}</title>`];
  // An invisible hit area a few px wider than the bar, so that a 13 ms request is as easy to hover as a 25 s one.
  const hx = (q.reconnectGapMs !== null && q.reconnectGapMs > 0 ? Math.min(x0, x(q.start - q.reconnectGapMs)) : x0) - 3;
  parts.push(`<rect class="hit" x="${r1(hx)}" y="${r1(y - (ROW - BAR) / 2)}" width="${r1(x1 + 4 - hx)}" height="${ROW}"/>`);
  if (q.reconnectGapMs !== null && q.reconnectGapMs > 0) {
    parts.push(`<line class="gap" x1="${r1(x(q.start - q.reconnectGapMs))}" y1="${r1(y + BAR / 2)}" x2="${r1(x0)}" y2="${r1(y + BAR / 2)}"/>`);
  }
  parts.push(`<rect class="${cls}" x="${r1(x0)}" y="${r1(y)}" width="${r1(x1 - x0)}" height="${BAR}" rx="2"/>`);
  if (q.firstByte !== null && lane.kind === 'channel') {
    const xf = x(q.firstByte);
    if (x1 - xf >= 2) parts.push(`<rect class="recv" x="${r1(xf)}" y="${r1(y)}" width="${r1(x1 - xf)}" height="${BAR}" rx="2"/>`);
  }
  if (lane.kind === 'channel' || q.outcome === 'error' || q.outcome === 'aborted' || q.outcome === 'open') {
    parts.push(`<circle class="end-${q.outcome}" cx="${r1(x1)}" cy="${r1(y + BAR / 2)}" r="3.5"/>`);
  }
  parts.push('</g>');
  return parts.join('');
}

function legendHtml(): string {
  const items: [string, string][] = [
    ['hold', 'waiting (held by the server)'],
    ['recv', 'receiving (stream open)'],
    ['data', 'data (an answer or a message)'],
    ['empty', 'empty answer (timeout)'],
    ['unknown', 'answered (body or end not recorded)'],
    ['error', 'error / abort'],
    ['open', 'still open at capture end'],
    ['gap', 'gap before a reconnect'],
  ];
  return `<ul class="legend">${items.map(([k, v]) => `<li><i class="${k}"></i>${esc(v)}</li>`).join('')}</ul>`;
}

function r1(n: number): number {
  return Math.round(n * 10) / 10;
}
