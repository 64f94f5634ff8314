#!/usr/bin/env node
// Re-record the HAR samples in samples/ and update samples/manifest.json.
//
//   node scripts/record/record-all.mjs                 # everything
//   node scripts/record/record-all.mjs xhr-long-poll   # one scenario (all its variants)
//   node scripts/record/record-all.mjs stopped-open.chrome-har.har   # one sample file
//   node scripts/record/record-all.mjs --jobs 3 --list
//
// Each sample is recorded in its own child process (run-one.mjs) with its own server and Chromium,
// several at a time. A sample only replaces the file in samples/ if its recording succeeded.

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { HERE, SAMPLES_DIR, MANIFEST_PATH } from './lib.mjs';

const args = process.argv.slice(2);
let jobs = 4;
let list = false;
const wanted = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--jobs' || args[i] === '-j') jobs = Math.max(1, Number(args[++i]) || 1);
  else if (args[i] === '--list') list = true;
  else if (args[i] === '--help' || args[i] === '-h') {
    console.log('usage: record-all.mjs [--jobs N] [--list] [scenario|sample-file ...]');
    process.exit(0);
  } else wanted.push(args[i].replace(/^samples\//, ''));
}

const scenarioDir = path.join(HERE, 'scenarios');
const scenarios = [];
for (const f of fs.readdirSync(scenarioDir).filter((f) => f.endsWith('.mjs')).sort()) {
  const mod = await import(path.join(scenarioDir, f));
  scenarios.push({ name: f.replace(/\.mjs$/, ''), mod });
}

const all = scenarios.flatMap(({ name, mod }) => mod.recordings.map((r) => ({ name, mod, recording: r, config: { ...mod.config, ...(r.config || {}) } })));
if (list) {
  for (const j of all) console.log(`${j.recording.file.padEnd(36)} ${j.recording.exporter.padEnd(11)} ${String(j.config.durationMs / 1000).padStart(3)} s  (${j.name})`);
  process.exit(0);
}
const selected = wanted.length ? all.filter((j) => wanted.includes(j.name) || wanted.includes(j.recording.file)) : all;
const unknown = wanted.filter((w) => !all.some((j) => j.name === w || j.recording.file === w));
if (unknown.length) {
  console.error(`unknown scenario/sample: ${unknown.join(', ')} (try --list)`);
  process.exit(2);
}
// Longest first, so the parallel pool finishes as early as possible.
selected.sort((a, b) => b.config.durationMs - a.config.durationMs);

const tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'comet-record-'));
const children = new Set();
const chromiumPids = new Map();
let interrupted = false;

function killChild(child, signal) {
  try {
    child.kill(signal);
  } catch {}
}

function killOrphanChromium(child) {
  // Playwright starts Chromium as its own process-group leader; if we had to SIGKILL the Node child,
  // its exit hook never ran, so take the group down ourselves (only the pids that child reported).
  for (const pid of chromiumPids.get(child) || []) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {}
  }
}

for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    interrupted = true;
    for (const c of children) killChild(c, 'SIGTERM');
    setTimeout(() => {
      for (const c of children) {
        killChild(c, 'SIGKILL');
        killOrphanChromium(c);
      }
      process.exit(130);
    }, 5000).unref();
  });
}

function runOne(job) {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(process.execPath, [path.join(HERE, 'run-one.mjs'), job.name, job.recording.file, tmpDir], {
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    children.add(child);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('message', (m) => {
      if (m?.chromiumPids) chromiumPids.set(child, m.chromiumPids);
    });
    const limit = job.config.durationMs + 60000;
    let killTimer;
    const termTimer = setTimeout(() => {
      stderr += `\n[record-all] ${job.recording.file}: outer time limit ${limit} ms, sending SIGTERM`;
      killChild(child, 'SIGTERM');
      killTimer = setTimeout(() => {
        killChild(child, 'SIGKILL');
        killOrphanChromium(child);
      }, 5000);
    }, limit);
    child.on('exit', (code, signal) => {
      clearTimeout(termTimer);
      clearTimeout(killTimer);
      children.delete(child);
      if (signal === 'SIGKILL') killOrphanChromium(child);
      const line = stdout.split('\n').find((l) => l.startsWith('RESULT '));
      const result = line ? JSON.parse(line.slice(7)) : null;
      resolve({ job, ok: code === 0 && !!result, code, signal, result, stderr: stderr.trim(), seconds: (Date.now() - started) / 1000 });
    });
  });
}

// Chromium start-up is the CPU-heavy part; spacing the launches keeps the recordings' timing clean on
// small machines (the recordings themselves are mostly idle waiting).
const LAUNCH_SPACING_MS = 2500;
let nextLaunchAt = 0;
async function launchSlot() {
  const wait = nextLaunchAt - Date.now();
  nextLaunchAt = Math.max(Date.now(), nextLaunchAt) + LAUNCH_SPACING_MS;
  if (wait > 0) await new Promise((r) => setTimeout(r, wait));
}

const t0 = Date.now();
console.log(`recording ${selected.length} sample(s), ${jobs} at a time, into ${path.relative(process.cwd(), SAMPLES_DIR) || '.'}/`);
const queue = [...selected];
const outcomes = [];
await Promise.all(
  Array.from({ length: Math.min(jobs, queue.length) }, async () => {
    while (queue.length && !interrupted) {
      const job = queue.shift();
      await launchSlot();
      console.log(`  start  ${job.recording.file} (${job.config.durationMs / 1000} s)`);
      const o = await runOne(job);
      outcomes.push(o);
      console.log(`  ${o.ok ? 'done ' : 'FAIL '}  ${job.recording.file} in ${o.seconds.toFixed(1)} s${o.ok ? '' : ` (exit ${o.code ?? o.signal})`}`);
      if (o.stderr) console.log(o.stderr.replace(/^/gm, '         | '));
    }
  }),
);

// Install the successful recordings and update the manifest.
const manifest = fs.existsSync(MANIFEST_PATH) ? JSON.parse(fs.readFileSync(MANIFEST_PATH, 'utf8')) : {};
for (const o of outcomes.filter((o) => o.ok)) {
  const { job, result } = o;
  const file = job.recording.file;
  fs.copyFileSync(path.join(tmpDir, file), path.join(SAMPLES_DIR, file));
  const har = JSON.parse(fs.readFileSync(path.join(SAMPLES_DIR, file), 'utf8'));
  manifest[file] = {
    description: job.mod.describe(job.recording, job.config),
    exporter: job.recording.exporter,
    creator: `${har.log.creator?.name} ${har.log.creator?.version}`,
    scenario: `scripts/record/scenarios/${job.name}.mjs`,
    config: job.config,
    expect: job.mod.expect(result.truth, job.recording, job.config),
    server: result.truth.endpoints,
  };
  if (job.recording.note) manifest[file].note = job.recording.note;
  if (result.truth.notes.length) console.log(`  notes for ${file}:\n${result.truth.notes.map((n) => '    ' + n).join('\n')}`);
}
const sorted = Object.fromEntries(Object.keys(manifest).sort().map((k) => [k, manifest[k]]));
// Characters beyond ASCII are written as \u escapes, as the file has them: re-recording one sample then changes
// only that sample's entry.
const ascii = (text) => text.replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
fs.writeFileSync(MANIFEST_PATH, ascii(JSON.stringify(sorted, null, 2)) + '\n');
fs.rmSync(tmpDir, { recursive: true, force: true });

console.log(`\n${'sample'.padEnd(38)}${'exporter'.padEnd(12)}${'entries'.padStart(8)}${'KB'.padStart(8)}${'secs'.padStart(7)}`);
for (const o of outcomes.sort((a, b) => a.job.recording.file.localeCompare(b.job.recording.file))) {
  const p = path.join(SAMPLES_DIR, o.job.recording.file);
  const entries = o.ok ? JSON.parse(fs.readFileSync(p, 'utf8')).log.entries.length : '-';
  const kb = o.ok ? (fs.statSync(p).size / 1024).toFixed(1) : 'FAILED';
  console.log(`${o.job.recording.file.padEnd(38)}${o.job.recording.exporter.padEnd(12)}${String(entries).padStart(8)}${kb.padStart(8)}${o.seconds.toFixed(1).padStart(7)}`);
}
const failed = outcomes.filter((o) => !o.ok).length;
console.log(`\n${outcomes.length - failed} recorded, ${failed} failed, wall time ${((Date.now() - t0) / 1000).toFixed(1)} s`);
process.exit(failed || interrupted ? 1 : 0);
