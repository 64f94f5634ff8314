#!/usr/bin/env node
// Records ONE sample: `node scripts/record/run-one.mjs <scenario> <sample-file> <out-dir>`.
// Normally started by record-all.mjs (one child process per sample, so a hung browser can be killed
// without touching the others). Prints a line `RESULT <json>` with the server-side truth on success.
//
// Hard limit: the scenario's durationMs + 40 s, after which the process exits; Playwright's exit
// hook then kills the Chromium process group it started.

import path from 'node:path';
import fs from 'node:fs';
import { startServer, createTracker, timerSet, launchBrowser, childChromiumPids, recordPlaywright, recordCdp, HERE } from './lib.mjs';

const [name, file, outDir] = process.argv.slice(2);
if (!name || !file || !outDir) {
  console.error('usage: run-one.mjs <scenario> <sample-file> <out-dir>');
  process.exit(2);
}

const scenario = await import(path.join(HERE, 'scenarios', `${name}.mjs`));
const recording = scenario.recordings.find((r) => r.file === file);
if (!recording) {
  console.error(`scenario ${name} has no recording ${file}`);
  process.exit(2);
}
const config = { ...scenario.config, ...(recording.config || {}) };
const hardLimitMs = config.durationMs + 40000;
const hardTimer = setTimeout(() => {
  console.error(`[${file}] hard time limit (${hardLimitMs} ms) reached, exiting`);
  process.exit(3);
}, hardLimitMs);

const tracker = createTracker();
const timers = timerSet();
const app = scenario.createApp({ config, tracker, timers });
const server = await startServer(app, tracker);
let browser;
try {
  const tLaunch = Date.now();
  browser = await launchBrowser();
  const launchMs = Date.now() - tLaunch;
  const pids = childChromiumPids();
  if (process.send) process.send({ chromiumPids: pids });
  const harPath = path.join(outDir, file);
  const opts = {
    browser,
    harPath,
    url: server.origin + config.entryPath,
    durationMs: config.durationMs,
    tracker,
    drive: scenario.drive && ((page) => scenario.drive(page, config)),
  };
  const started = Date.now();
  const run = recording.exporter === 'playwright' ? await recordPlaywright(opts) : await recordCdp(opts);
  if (!fs.existsSync(harPath)) throw new Error(`HAR not written: ${harPath}`);
  const result = { scenario: name, file, exporter: recording.exporter, origin: server.origin, elapsedMs: Date.now() - started, launchMs, closeMs: run.closeMs, truth: run.truth, cdpEvents: run.cdpEvents };
  console.log('RESULT ' + JSON.stringify(result));
} catch (err) {
  console.error(`[${file}] failed: ${err.stack || err}`);
  process.exitCode = 1;
} finally {
  timers.clearAll();
  await Promise.race([browser?.close().catch(() => {}), new Promise((r) => setTimeout(r, 10000))]);
  await Promise.race([server.close(), new Promise((r) => setTimeout(r, 3000))]);
  clearTimeout(hardTimer);
}
process.exit(process.exitCode ?? 0);
