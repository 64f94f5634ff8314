// The policy file as a JSON Schema (draft 2020-12), for editors: a policy that names it in `$schema` gets completion,
// the docs of each rule and option, and its mistakes underlined as it is typed. It is made from the same zod schemas
// and rule metas that parse.ts reads a policy with, and committed as schema/config.schema.json (scripts/build-schema.mjs;
// a test fails when the two differ). The checks it cannot express (a channel selector's glob, an empty policy) are
// still made when the policy is read.
import { z } from 'zod';
import { RULES } from '../rules/index.js';
import { entrySchema } from './parse.js';
import { selectorSchema, SEVERITIES } from './schema.js';

type JsonSchema = Record<string, unknown>;

/** What a zod schema accepts, as JSON Schema, without the `$schema` line (it goes once, at the top). */
function jsonSchemaOf(schema: z.ZodType): JsonSchema {
  const { $schema: _top, ...s } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  return s;
}

/**
 * The schema of one rule's options object (its own options beside severity, optional and select), with the channel
 * selector, which every rule shares, as a reference to its definition.
 */
function optionsSchema(rule: (typeof RULES)[number]): JsonSchema {
  const s = jsonSchemaOf(entrySchema(rule));
  const properties = s['properties'] as Record<string, JsonSchema>;
  properties['select'] = { description: properties['select']!['description'], $ref: '#/$defs/select' };
  return s;
}

export function policyJsonSchema(): JsonSchema {
  const rules: Record<string, JsonSchema> = {};
  const defs: Record<string, JsonSchema> = {};
  for (const rule of [...RULES].sort((a, b) => a.meta.id.localeCompare(b.meta.id))) {
    const id = rule.meta.id;
    defs[id] = optionsSchema(rule);
    rules[id] = {
      description: `${rule.meta.description} (default severity: ${rule.meta.defaultSeverity})`,
      anyOf: [
        { enum: ['off', ...SEVERITIES, true, false] },
        { $ref: `#/$defs/${id}` },
        { type: 'array', minItems: 1, items: { $ref: `#/$defs/${id}` } },
      ],
    };
  }
  defs['select'] = jsonSchemaOf(selectorSchema);
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title: 'comet-inspect policy',
    description: 'The rules `comet-inspect check` holds push channels to. Each rule is "off", "error", "warn", true, false, an options object, or a list of options objects.',
    type: 'object',
    properties: {
      $schema: { type: 'string' },
      rules: { type: 'object', minProperties: 1, properties: rules, additionalProperties: false },
    },
    required: ['rules'],
    additionalProperties: false,
    $defs: defs,
  };
}
