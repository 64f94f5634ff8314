#!/usr/bin/env node
// Reads every capture in a folder with comet-inspect's reader and prints one line per file:
// exporter, HAR version, entries, warnings and status. Usage: npm run corpus -- <folder> [--json]
// (run `npm run build` first; `npm install` does it).
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { loadCapture } from '../dist/har/load.js';

const args = process.argv.slice(2);
const json = args.includes('--json');
const folder = args.find((a) => !a.startsWith('--'));
if (!folder) {
  process.stderr.write('usage: npm run corpus -- <folder> [--json]\n');
  process.exit(2);
}
let names;
try {
  names = (await readdir(folder)).filter((n) => /\.(har|harp|zhar|har\.gz|json)$/i.test(n)).sort();
} catch (err) {
  process.stderr.write(`corpus: cannot read folder ${folder}: ${err.code ?? err.message}\n`);
  process.exit(2);
}
const rows = [];
for (const name of names) {
  try {
    const cap = await loadCapture(join(folder, name));
    rows.push({
      file: name,
      status: cap.summary.truncated ? 'salvaged' : 'ok',
      exporter: cap.summary.exporter,
      creator: cap.summary.creator,
      harVersion: cap.summary.harVersion,
      entries: cap.summary.entries,
      exchanges: cap.exchanges.length,
      warnings: cap.summary.warnings,
    });
  } catch (err) {
    rows.push({ file: name, status: 'error', error: err.message, warnings: [] });
  }
}
if (json) process.stdout.write(JSON.stringify(rows, null, 2) + '\n');
else {
  for (const r of rows) {
    const head = r.status === 'error' ? `ERROR  ${r.error}` : `${r.status.padEnd(8)} ${String(r.exporter).padEnd(11)} HAR ${r.harVersion ?? '?  '} ${String(r.entries).padStart(5)} entries`;
    process.stdout.write(`${r.file.padEnd(70)} ${head}${r.warnings.length ? `  ⚠ ${r.warnings.join('; ')}` : ''}\n`);
  }
  const errors = rows.filter((r) => r.status === 'error').length;
  process.stdout.write(`\n${rows.length} files, ${errors} unreadable\n`);
}
