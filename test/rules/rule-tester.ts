// An ESLint-style rule tester: valid cases must hold, invalid ones must break (or, with `missing`, lack their
// figure). Options go through the rule's own schema, written the way a policy writes them ("20s", "12/min").
import { describe, expect, it } from 'vitest';
import { entrySchema } from '../../src/config/parse.js';
import type { ChannelReport } from '../../src/model.js';
import { contextFor } from '../../src/rules/engine.js';
import type { ChannelFigures } from '../../src/rules/figures.js';
import type { Outcome, Rule } from '../../src/rules/types.js';
import { analysis, channel } from './build.js';

export interface RuleCase {
  name: string;
  options?: Record<string, unknown>;
  channel?: Partial<ChannelReport>;
  /** Figures as if computed from the capture's requests. */
  figures?: Partial<ChannelFigures>;
  /** Invalid cases: the figure is missing (pass null) rather than broken (pass false). */
  missing?: boolean;
  /** The outcome's text (measured, limit, detail) must match. */
  text?: RegExp;
  measured?: Outcome['measured'];
}

export const tested = new Set<string>();

export function runRule(rule: Rule, c: RuleCase): Outcome {
  const parsed = entrySchema(rule).safeParse(c.options ?? {});
  if (!parsed.success) throw new Error(`${rule.meta.id} options ${JSON.stringify(c.options)}: ${parsed.error.message}`);
  const ch = channel(c.channel);
  const a = analysis([ch]);
  const ctx = contextFor(a, { figures: new Map([[ch.id, c.figures ?? {}]]) });
  return rule.check(ch, parsed.data as never, ctx);
}

export function ruleTester(rule: Rule, cases: { valid: RuleCase[]; invalid: RuleCase[] }): void {
  tested.add(rule.meta.id);
  describe(rule.meta.id, () => {
    for (const c of cases.valid) {
      it(`valid: ${c.name}`, () => {
        const o = runRule(rule, c);
        expect(o.pass, `${o.measuredText}; ${o.limitText}`).toBe(true);
        check(o, c);
      });
    }
    for (const c of cases.invalid) {
      it(`invalid: ${c.name}`, () => {
        const o = runRule(rule, c);
        expect(o.pass, `${o.measuredText}; ${o.limitText}`).toBe(c.missing ? null : false);
        check(o, c);
      });
    }
  });
}

function check(o: Outcome, c: RuleCase): void {
  if (c.text) expect(`${o.measuredText}; ${o.limitText}; ${o.detail ?? ''}`).toMatch(c.text);
  if (c.measured !== undefined) expect(o.measured).toEqual(c.measured);
}
