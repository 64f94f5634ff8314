// Detection entry point: exchanges in, drafts of push channels out (grouped, classified, with neighbours attached).
import type { Exchange } from '../model.js';
import { attachNeighbours, linkFallbacks, linkUpgrades, markInGroupSetup } from './attach.js';
import { classify } from './classify.js';
import type { Draft } from './draft.js';
import { groupExchanges, type Candidate, type GroupOptions } from './group.js';
import { settleOpen } from './settle.js';
import { protocolGroupKey, protocolSendReason } from '../protocols/index.js';
import { applyProtocols, protocolSessionSplit, protocolStreamVerdict } from './protocol.js';
import { maxOf } from '../measure/stats.js';

export interface InputInfo {
  /** Last moment the capture knows of. */
  captureEnd: number;
  pages: number;
}

export interface DetectOptions extends GroupOptions {
  /** Per input index; inputs not listed get the end of their own exchanges and 0 pages. */
  inputs?: Map<number, InputInfo>;
  /** Recognise protocols (grouping by their keys, sessions, send requests); default true. */
  protocols?: boolean;
}

export interface Rejected {
  endpoint: string;
  requests: number;
  reason: string;
}

export interface Detection {
  drafts: Draft[];
  /** Groups that were looked at and found not to be push, with why (for explanations and tests). */
  rejected: Rejected[];
}

export function detectChannels(exchanges: readonly Exchange[], options: DetectOptions = {}): Detection {
  const inputs = options.inputs ?? inputInfoFrom(exchanges);
  const useProtocols = options.protocols !== false;
  const grouping = groupExchanges(exchanges, {
    keyOf: (ex, ep) => options.keyOf?.(ex, ep) ?? (useProtocols ? protocolGroupKey(ex, ep.key) : null),
    notPush: (ex) => options.notPush?.(ex) ?? (useProtocols ? protocolSendReason(ex) : null),
    onProgress: options.onProgress,
  });
  const drafts: Draft[] = [];
  const rejected: Rejected[] = [];
  const others = [...grouping.others];
  // Clients split off a candidate (protocolSessionSplit) join the end of the list, and are not split again.
  const queue = [...grouping.candidates];
  const clientsOfSplit = new Set<Candidate>();
  for (let i = 0; i < queue.length; i += 1) {
    const c = queue[i]!;
    const info = inputs.get(c.input) ?? { captureEnd: maxOf(c.exchanges.map((e) => e.end)), pages: 0 };
    const unsettled = c.exchanges;
    c.exchanges = settleOpen(unsettled, info.captureEnd);
    let verdict = classify(c, info);
    if (!verdict.push && useProtocols) {
      const rescued = protocolStreamVerdict(c, info.captureEnd);
      if (rescued) {
        c.exchanges = rescued.exchanges;
        verdict = { push: true, result: rescued.result };
      } else if (!clientsOfSplit.has(c)) {
        // Clients side by side in sessions of their own, each polling its own way: look at each client alone.
        // Each client's requests are settled again by themselves (one client's poll is not ended by another's).
        const clients = protocolSessionSplit({ ...c, exchanges: unsettled });
        if (clients) {
          for (const client of clients) clientsOfSplit.add(client);
          queue.push(...clients);
          continue;
        }
      }
    }
    if (verdict.push) {
      drafts.push({
        candidate: c,
        result: verdict.result,
        members: c.exchanges.map((ex) => ({ ex, role: null })),
        notes: [],
        upgradeTo: null,
        upgradeFrom: null,
        upgradeFailedOf: null,
        upgradeFailed: [],
        fellBackTo: [],
        fellBackFrom: null,
        upgradeAt: null,
      });
    } else {
      rejected.push({ endpoint: c.endpoint.display, requests: c.exchanges.length, reason: verdict.reason });
      for (const ex of c.exchanges) others.push({ ex, endpoint: c.endpoint, excluded: null });
    }
  }
  for (const p of grouping.placeholders) {
    const d = drafts.find((x) => x.candidate.key === p.key);
    if (d) d.notes.push('a placeholder entry dated 1969/1970 (exporter stub) was left out');
  }
  const used = attachNeighbours(drafts, others);
  for (const d of drafts) markInGroupSetup(d);
  linkUpgrades(drafts);
  linkFallbacks(drafts);
  if (useProtocols) applyProtocols(drafts, others.filter((o) => !used.has(o.ex)));
  drafts.sort((a, b) => a.members[0]!.ex.start - b.members[0]!.ex.start || a.members[0]!.ex.index - b.members[0]!.ex.index);
  return { drafts, rejected };
}

export function inputInfoFrom(exchanges: readonly Exchange[]): Map<number, InputInfo> {
  const out = new Map<number, InputInfo>();
  for (const ex of exchanges) {
    const cur = out.get(ex.input);
    if (!cur || ex.end > cur.captureEnd) out.set(ex.input, { captureEnd: ex.end, pages: cur?.pages ?? 0 });
  }
  return out;
}
