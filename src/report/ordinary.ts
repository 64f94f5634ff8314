// The non-push traffic, listed on request (--include-ordinary): one line per request, URLs redacted.
import { Chalk } from 'chalk';
import type { Exchange } from '../model.js';
import { formatBytes, formatDuration } from './format.js';
import { code, md } from './markdown.js';
import type { Redactor } from './redaction.js';

function typeOf(ex: Exchange): string {
  return ex.resourceType ?? (ex.mimeType || 'other');
}

function statusOf(ex: Exchange): string {
  return ex.status ? String(ex.status) : ex.state;
}

export function renderOrdinaryText(list: readonly Exchange[], r: Redactor, color: boolean): string {
  const c = new Chalk({ level: color ? 1 : 0 });
  const out = ['', c.bold(`Ordinary traffic (${list.length})`)];
  for (const ex of list) {
    out.push(`  ${statusOf(ex).padEnd(8)} ${typeOf(ex).padEnd(11)} ${formatDuration(ex.duration).padStart(8)}  ${ex.method} ${r.url(ex.url)}`);
  }
  return out.join('\n') + '\n';
}

export function renderOrdinaryMarkdown(list: readonly Exchange[], r: Redactor): string {
  const out = [`### Ordinary traffic (${list.length})`, '', '| status | type | duration | size | request |', '|---|---|---|---|---|'];
  for (const ex of list) {
    out.push(`| ${md(statusOf(ex))} | ${md(typeOf(ex))} | ${formatDuration(ex.duration)} | ${formatBytes(ex.responseBodyBytes)} | ${code(`${ex.method} ${r.url(ex.url)}`)} |`);
  }
  return out.join('\n') + '\n';
}

export function ordinaryJson(list: readonly Exchange[], r: Redactor): unknown[] {
  return list.map((ex) => ({
    method: ex.method,
    url: r.url(ex.url),
    status: ex.status,
    state: ex.state,
    type: typeOf(ex),
    start: new Date(ex.start).toISOString(),
    durationMs: Math.round(ex.duration),
    bodyBytes: ex.responseBodyBytes,
  }));
}
