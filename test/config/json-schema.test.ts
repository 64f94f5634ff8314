// schema/config.schema.json is what an editor checks a policy file against (its `$schema`). It must be what the code
// makes of the rules (regenerated when they change), accept every policy the tool accepts among the samples here,
// and reject the mistakes the tool rejects that a schema can express.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { policyJsonSchema } from '../../src/config/json-schema.js';
import { parsePolicy } from '../../src/config/parse.js';
import { RULES } from '../../src/rules/index.js';
import { ROOT } from '../cli/run.js';

const committed = JSON.parse(readFileSync(join(ROOT, 'schema', 'config.schema.json'), 'utf8')) as Record<string, unknown>;
const validate = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true }).compile(committed);

/** Whether the tool reads the policy without a mistake. */
function toolAccepts(policy: unknown): boolean {
  try {
    parsePolicy(policy, 'policy.json');
    return true;
  } catch {
    return false;
  }
}

describe('the policy JSON Schema (schema/config.schema.json)', () => {
  it('is what the code makes of the rules (run `npm run build && node scripts/build-schema.mjs` after changing one)', () => {
    expect(committed).toEqual(policyJsonSchema());
  });

  it('names every rule, with its description', () => {
    const rules = (committed['properties'] as { rules: { properties: Record<string, { description: string }> } }).rules.properties;
    expect(Object.keys(rules).sort()).toEqual(RULES.map((r) => r.meta.id).sort());
    for (const r of RULES) expect(rules[r.meta.id]!.description).toContain(r.meta.description);
  });

  it('accepts the example policy and every rule example, as the tool does', () => {
    const example = JSON.parse(readFileSync(join(ROOT, 'examples', 'comet-inspect.config.json'), 'utf8')) as unknown;
    expect(toolAccepts(example)).toBe(true);
    expect(validate(example), JSON.stringify(validate.errors)).toBe(true);
    for (const r of RULES) {
      const policy = { $schema: './node_modules/comet-inspect/schema/config.schema.json', rules: { [r.meta.id]: r.meta.example } };
      expect(toolAccepts(policy), r.meta.id).toBe(true);
      expect(validate(policy), `${r.meta.id}: ${JSON.stringify(validate.errors)}`).toBe(true);
    }
  });

  const accepted: [string, unknown][] = [
    ['a severity alone', { rules: { 'max-gap': 'off', 'max-errors': 'warn', 'no-open-at-end': true } }],
    ['durations in any unit and case', { rules: { 'min-hold': { min: '1.5S' }, 'max-hold': { max: '2 min' } } }],
    ['a rate per hour', { rules: { 'max-poll-rate': { max: '100/h' } } }],
    ['a count as a string', { rules: { 'max-errors': { max: '3' } } }],
    ['a list of entries with selectors', { rules: { 'max-poll-rate': [{ max: '6/min', select: { mode: ['long-poll'] } }, { max: '12/min', select: { endpoint: '/api/*' } }] } }],
    ['a tolerance as a share', { rules: { 'declared-matches-observed': { tolerance: '20%' } } }],
  ];
  for (const [name, policy] of accepted) {
    it(`accepts ${name}, as the tool does`, () => {
      expect(toolAccepts(policy)).toBe(true);
      expect(validate(policy), JSON.stringify(validate.errors)).toBe(true);
    });
  }

  const rejected: [string, unknown][] = [
    ['an unknown rule', { rules: { 'max-pol-rate': { max: '6/min' } } }],
    ['a duration without its unit', { rules: { 'min-hold': { min: 20 } } }],
    ['a duration in words', { rules: { 'min-hold': { min: '20 secs' } } }],
    ['a rate without its period', { rules: { 'max-poll-rate': { max: '12' } } }],
    ['an unknown option', { rules: { 'max-gap': { max: '5s', maximum: '6s' } } }],
    ['a required option left out', { rules: { 'max-gap': {} } }],
    ['a negative count', { rules: { 'max-errors': { max: -1 } } }],
    ['an unknown mode in a selector', { rules: { 'max-gap': { max: '5s', select: { mode: 'polling' } } } }],
    ['an unknown severity', { rules: { 'max-gap': 'fatal' } }],
    ['an empty list', { rules: { 'max-gap': [] } }],
    ['no rule at all', { rules: {} }],
    ['a key beside rules', { rules: { 'max-errors': true }, rule: {} }],
  ];
  for (const [name, policy] of rejected) {
    it(`rejects ${name}, as the tool does`, () => {
      expect(toolAccepts(policy)).toBe(false);
      expect(validate(policy)).toBe(false);
    });
  }
});
