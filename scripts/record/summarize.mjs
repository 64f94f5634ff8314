#!/usr/bin/env node
// Print a compact per-entry table of HAR files, to eyeball a recording against its manifest entry:
//   node scripts/record/summarize.mjs samples/xhr-long-poll.har [more.har ...]
// Columns: start offset (ms from the first entry), method, status, resource type, time, wait, receive,
// body size / text length, mime type, path+query, and extras (failure text, WebSocket frame counts).
import fs from 'node:fs';

for (const file of process.argv.slice(2)) {
  const har = JSON.parse(fs.readFileSync(file, 'utf8'));
  const entries = har.log.entries;
  const t0 = Math.min(...entries.map((e) => Date.parse(e.startedDateTime)));
  console.log(`\n== ${file}  (${har.log.creator?.name} ${har.log.creator?.version}, ${entries.length} entries, ${(fs.statSync(file).size / 1024).toFixed(1)} KB)`);
  console.log(['start', 'meth', 'st', 'type', 'time', 'wait', 'recv', 'size', 'mime', 'url'].map((h, i) => h.padStart([7, 5, 4, 9, 9, 9, 8, 6, 0, 0][i] || 0).padEnd(i === 8 ? 24 : 0)).join(' '));
  for (const e of entries) {
    const u = new URL(e.request.url);
    const fmt = (n) => (typeof n === 'number' ? String(Math.round(n)) : String(n));
    const text = e.response.content?.text;
    const extras = [];
    if (e.response._failureText) extras.push(`failure=${e.response._failureText}`);
    if (e._webSocketMessages) {
      const s = e._webSocketMessages.filter((m) => m.type === 'send').length;
      const r = e._webSocketMessages.length - s;
      const ops = [...new Set(e._webSocketMessages.map((m) => m.opcode))].join('/');
      extras.push(`ws send=${s} recv=${r} opcodes=${ops}`);
    }
    if (e._chunks) extras.push(`chunks=${e._chunks.length}`);
    console.log(
      [
        fmt(Date.parse(e.startedDateTime) - t0).padStart(7),
        e.request.method.padStart(5),
        String(e.response.status).padStart(4),
        String(e._resourceType ?? '').padStart(9),
        fmt(e.time).padStart(9),
        fmt(e.timings?.wait).padStart(9),
        fmt(e.timings?.receive).padStart(8),
        `${e.response.content?.size ?? ''}${text !== undefined ? '/' + text.length : ''}`.padStart(6),
        String(e.response.content?.mimeType ?? '').slice(0, 24).padEnd(24),
        (u.protocol.startsWith('ws') ? u.protocol : '') + u.pathname + u.search.slice(0, 40),
        extras.join(' '),
      ].join(' '),
    );
  }
}
