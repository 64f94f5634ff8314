#!/usr/bin/env node
// Writes schema/config.schema.json, the JSON Schema of a policy file (src/config/json-schema.ts), from the built code.
// Run it after changing a rule or its options; test/config/json-schema.test.ts fails while the file is out of date.
//
//   npm run build && node scripts/build-schema.mjs
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const { policyJsonSchema } = await import(join(ROOT, 'dist', 'config', 'json-schema.js'));
writeFileSync(join(ROOT, 'schema', 'config.schema.json'), `${JSON.stringify(policyJsonSchema(), null, 2)}\n`);
