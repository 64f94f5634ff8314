// The comparison in the terminal: a table with one column per capture, then the differences in plain sentences.
import { Chalk } from 'chalk';
import Table from 'cli-table3';
import type { Comparison } from './compare.js';
import { maxOf } from '../measure/stats.js';

export interface CompareTextOptions {
  color: boolean;
  /** The terminal's width when output goes to one; columns then shrink (and wrap) to fit. Undefined: natural widths. */
  width?: number;
}

const MAX_COLUMN = 48;
const MIN_COLUMN = 18;

export function renderComparisonText(cmp: Comparison, options: CompareTextOptions): string {
  const c = new Chalk({ level: options.color ? 1 : 0 });
  const labelWidth = maxOf(cmp.rows.map((r) => r.label.length)) + 2;
  let widths = cmp.columns.map((col, i) => Math.min(MAX_COLUMN, Math.max(col.name.length, maxOf(cmp.rows.map((r) => r.values[i]!.length))) + 2));
  const total = labelWidth + widths.reduce((a, b) => a + b, 0) + widths.length + 1;
  if (options.width !== undefined && total > options.width) {
    const share = Math.max(MIN_COLUMN, Math.floor((options.width - labelWidth - widths.length - 1) / widths.length));
    widths = widths.map((w) => Math.min(w, share));
  }
  const table = new Table({
    head: ['', ...cmp.columns.map((col) => col.name)],
    style: { head: c.level > 0 ? ['cyan'] : [], border: c.level > 0 ? ['grey'] : [] },
    colWidths: [labelWidth, ...widths],
    wordWrap: true,
    wrapOnWordBoundary: false,
    // Rows without rules between them: the table is long, and the label column keeps the rows apart.
    chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
  });
  for (const row of cmp.rows) table.push([c.bold(row.label), ...row.values]);
  const out = [table.toString()];
  if (cmp.differences.length) {
    out.push('', c.bold('What differs most'));
    for (const s of cmp.differences) out.push(`  • ${s}`);
  }
  return out.join('\n') + '\n';
}
