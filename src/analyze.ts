// The analysis: captures in, the JSON report contract out. Pure: no clock, file system or randomness (it only looks at
// the heap, to stop with a clear error rather than crash when memory runs out: memory.ts).
import type { Analysis, Capture, CaptureSummary, Channel, ChannelReport, Exchange, ExchangeState, ExporterKind } from './model.js';
import { detectChannels, type InputInfo } from './detect/channels.js';
import type { Draft } from './detect/draft.js';
import type { GroupOptions } from './detect/group.js';
import { assignRoles } from './detect/roles.js';
import { effectiveEnd } from './detect/util.js';
import { measureChannel } from './measure/channel.js';
import { maxOf, minOf } from './measure/stats.js';
import { checkMemory } from './memory.js';

export interface AnalyzeOptions extends Omit<GroupOptions, 'onProgress'> {
  tool: { name: string; version: string };
  /** How far the analysis has got, from 0 to 1 (grouping is the first 60 %, then channel by channel). */
  onProgress?: (share: number) => void;
}

export interface DetailedAnalysis {
  analysis: Analysis;
  /** The same channels as analysis.channels, with their exchanges and per-exchange phases (for timelines). */
  channels: Channel[];
}

export function analyze(captures: Capture[], options: AnalyzeOptions): Analysis {
  return analyzeDetailed(captures, options).analysis;
}

/** Share of the analysis time that grouping takes (it looks at every request; the rest is per channel). */
const GROUPING = 0.6;

/** Exporters date some stub entries 1969/1970; such times say nothing about when the capture ran. */
const PLAUSIBLE_MS = Date.UTC(1995, 0, 1);

export function analyzeDetailed(captures: Capture[], options: AnalyzeOptions): DetailedAnalysis {
  const exchanges: Exchange[] = captures.flatMap((c) => c.exchanges);
  const inputs = new Map<number, InputInfo>();
  const exporters = new Map<number, ExporterKind>();
  captures.forEach((c, i) => {
    const input = c.exchanges[0]?.input ?? i;
    const ends = c.exchanges.map((e) => e.end);
    inputs.set(input, { captureEnd: ends.length ? maxOf(ends) : 0, pages: c.summary.pages });
    exporters.set(input, c.summary.exporter);
  });

  const doing = `analysing ${exchanges.length} requests`;
  checkMemory(doing);
  const progress = options.onProgress;
  const grouped = (done: number, total: number): void => {
    checkMemory(doing);
    progress?.((GROUPING * done) / total);
  };
  const { drafts } = detectChannels(exchanges, { inputs, keyOf: options.keyOf, onProgress: grouped });
  const channels: Channel[] = drafts.map((d, i) => {
    checkMemory(doing);
    progress?.(GROUPING + ((1 - GROUPING) * i) / drafts.length);
    const roles = assignRoles(d);
    const input = d.candidate.input;
    const report = measureChannel(`c${i + 1}`, d, roles, {
      captureEnd: inputs.get(input)?.captureEnd ?? maxOf(roles.exchanges.map(effectiveEnd)),
      exporter: exporters.get(input) ?? 'other',
    });
    const sessionIds = (roles.sessions ?? []).map((sp) => sp.key).filter((k): k is string => k !== null);
    return { report, exchanges: roles.exchanges, phaseOf: roles.phaseOf, ...(sessionIds.length ? { sessionIds } : {}) };
  });
  // Cross-references need the ids, which exist only now.
  const reportOf = (o: Draft): ChannelReport => channels[drafts.indexOf(o)]!.report;
  const idOf = (o: Draft): string => reportOf(o).id;
  drafts.forEach((d, i) => {
    const ch = channels[i]!.report;
    if (d.upgradeTo) ch.evidence.push(`upgraded to WebSocket ${idOf(d.upgradeTo)}`);
    if (d.upgradeFrom) ch.evidence.push(`opened as an upgrade of polling channel ${idOf(d.upgradeFrom)}`);
    if (d.fellBackTo.length) {
      const to = d.fellBackTo.map((o) => `${idOf(o)} (${reportOf(o).label})`);
      ch.evidence.push(`${to.length > 1 ? 'the clients' : 'the client'} fell back to ${to.join(' and ')}`);
    }
    if (d.upgradeFailedOf) ch.evidence.push(`an upgrade attempt of polling channel ${idOf(d.upgradeFailedOf)}; it never connected, so the client stayed on polling`);
    if (d.upgradeFailed.length) ch.evidence.push(`tried to upgrade to WebSocket ${d.upgradeFailed.map(idOf).join(', ')}, which never connected; stayed on polling`);
    if (d.fellBackFrom) ch.evidence.push(`opened after WebSocket ${idOf(d.fellBackFrom)} failed to connect: the client fell back from WebSocket`);
  });
  linkSessions(drafts, channels);

  const plausible = exchanges.filter((e) => e.start >= PLAUSIBLE_MS);
  const start = plausible.length ? minOf(plausible.map((e) => e.start)) : null;
  const end = plausible.length ? maxOf(plausible.map((e) => Math.max(e.end, effectiveEnd(e)))) : null;

  const analysis: Analysis = {
    schemaVersion: 1,
    tool: options.tool,
    inputs: captures.map((c) => c.summary),
    capture: {
      start: start === null ? null : new Date(start).toISOString(),
      end: end === null ? null : new Date(end).toISOString(),
      durationMs: start === null || end === null ? 0 : Math.round(end - start),
    },
    traffic: trafficOf(exchanges),
    channels: channels.map((c) => c.report),
    findings: [],
  };
  return { analysis, channels };
}

/** Channels that carry the same protocol session (a polling channel and the WebSocket it upgraded to) are linked. */
function linkSessions(drafts: readonly Draft[], channels: readonly Channel[]): void {
  const keys = drafts.map((d) => {
    const mod = d.protocol?.module;
    return new Set(mod?.sessionOf ? d.members.map((m) => mod.sessionOf!(m.ex)).filter((k): k is string => k !== null) : []);
  });
  drafts.forEach((d, i) => {
    const linked = new Set<string>();
    drafts.forEach((o, j) => {
      if (i === j || !d.protocol || o.protocol?.module !== d.protocol.module) return;
      if (o === d.upgradeTo || o === d.upgradeFrom || [...keys[i]!].some((k) => keys[j]!.has(k))) linked.add(channels[j]!.report.id);
    });
    // A fallback or a failed upgrade is one client's change of transport, whatever protocol each side was recognised as.
    for (const o of [d.fellBackFrom, d.upgradeFailedOf, ...d.fellBackTo, ...d.upgradeFailed]) if (o) linked.add(channels[drafts.indexOf(o)]!.report.id);
    if (linked.size) channels[i]!.report.linkedChannels = [...linked];
  });
}

export function trafficOf(exchanges: readonly Exchange[]): CaptureSummary {
  const byType: Record<string, number> = {};
  const byState: Record<ExchangeState, number> = { complete: 0, aborted: 0, failed: 0, open: 0 };
  for (const ex of exchanges) {
    const t = ex.resourceType ?? coarseType(ex);
    byType[t] = (byType[t] ?? 0) + 1;
    byState[ex.state]++;
  }
  return { byType, byState };
}

/** A resource type from the URL and content type, for exporters that record none. */
export function coarseType(ex: Exchange): string {
  if (/^wss?:/i.test(ex.url) || ex.status === 101) return 'websocket';
  const m = ex.mimeType;
  if (m === 'text/event-stream') return 'eventsource';
  if (m === 'text/html' || m === 'application/xhtml+xml') return 'document';
  if (/javascript|ecmascript/.test(m)) return 'script';
  if (m === 'text/css') return 'stylesheet';
  if (m.startsWith('image/')) return 'image';
  if (m.startsWith('font/') || /font|woff/.test(m)) return 'font';
  if (m.startsWith('audio/') || m.startsWith('video/')) return 'media';
  if (/json|xml|text\/plain|ndjson|multipart|octet-stream|x-www-form/.test(m)) return 'xhr';
  return 'other';
}
