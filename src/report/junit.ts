// JUnit XML for check findings (Jenkins, GitLab, Bamboo): one testcase per rule × channel.
// A failing error rule is a <failure>; a skipped optional rule is <skipped>; a failing warn rule passes with the
// warning in <system-out>, since JUnit has no "warning" verdict.
import type { Analysis, Finding } from '../model.js';
import { channelLabel, tally } from './findings.js';

export function renderJunit(analysis: Analysis, findings: readonly Finding[]): string {
  const byId = new Map(analysis.channels.map((c) => [c.id, c]));
  const t = tally(findings);
  const suiteName = `comet-inspect check: ${analysis.inputs.map((i) => i.file).join(', ')}`;
  // The same rule can be set twice (per-endpoint entries); its source keeps the testcase names apart.
  const perRule = new Map<string, Set<string>>();
  for (const f of findings) {
    const s = perRule.get(f.rule) ?? new Set<string>();
    s.add(f.source ?? '');
    perRule.set(f.rule, s);
  }
  const cases = findings.map((f) => {
    const twice = (perRule.get(f.rule)?.size ?? 0) > 1 && f.source ? ` [${f.source}]` : '';
    const name = `${f.rule}${twice} · ${channelLabel(byId.get(f.channel ?? ''), f.channel)}`;
    const open = `    <testcase classname="comet-inspect.${attr(f.rule)}" name="${attr(name)}" time="0"`;
    if (f.status === 'pass') return `${open}/>`;
    if (f.status === 'skip') return `${open}>\n      <skipped message="${attr(f.message)}"/>\n    </testcase>`;
    if (f.severity === 'warn') return `${open}>\n      <system-out>${text(`warning: ${f.message}`)}</system-out>\n    </testcase>`;
    return `${open}>\n      <failure message="${attr(f.message)}" type="${attr(f.rule)}">${text(`${f.rule} (${f.severity}) ${channelLabel(byId.get(f.channel ?? ''), f.channel)}\n${f.message}`)}</failure>\n    </testcase>`;
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="comet-inspect check" tests="${t.checks}" failures="${t.failed}" errors="0" skipped="${t.skipped}" time="0">`,
    `  <testsuite name="${attr(suiteName)}" tests="${t.checks}" failures="${t.failed}" errors="0" skipped="${t.skipped}" time="0">`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}

/** XML 1.0 allows neither most control characters nor lone surrogates, even escaped. */
function clean(s: string): string {
  return s.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}

function text(s: string): string {
  return clean(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function attr(s: string): string {
  return text(s).replace(/"/g, '&quot;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#9;');
}
