import { har as validateHar, type AjvError } from 'har-validator/lib/promise.js';
import { parseCaptureText } from './parse.js';
import { readInput } from './source.js';
import { captureText } from './text.js';
import { WarningCollector, formatWarning } from './warnings.js';

export interface Violation {
  /** JSON path, e.g. "log.entries[12].timings.wait". */
  path: string;
  message: string;
}

export interface ValidationResult {
  file: string;
  valid: boolean;
  violations: Violation[];
  /** What had to be undone just to read the file (BOM, JSONP wrapper, truncation…). */
  notes: string[];
}

/**
 * Strict validation against the HAR 1.2 schema (har-validator). Unlike analysis, nothing is repaired:
 * every deviation is a violation. Reading problems (missing file, not JSON) still throw InputError.
 */
export async function validateCapture(path: string, stdin?: NodeJS.ReadableStream): Promise<ValidationResult> {
  const raw = await readInput(path, stdin);
  const warnings = new WarningCollector();
  const text = captureText(raw.bytes, warnings);
  const { doc, truncated } = parseCaptureText(raw.name, text);
  const violations: Violation[] = [];
  if (truncated) violations.push({ path: '', message: `the file is cut off at ${truncated.endsAt}` });
  try {
    await validateHar(doc);
  } catch (err) {
    const errors = (err as { errors?: AjvError[] }).errors;
    if (!Array.isArray(errors)) throw err;
    for (const e of errors) violations.push(toViolation(e));
  }
  return { file: raw.name, valid: violations.length === 0, violations, notes: warnings.list().map(formatWarning) };
}

function toViolation(e: AjvError): Violation {
  let path = e.dataPath.replace(/^\./, '');
  const missing = e.params?.['missingProperty'];
  const extra = e.params?.['additionalProperty'];
  let message = (e.message ?? e.keyword).replace(/^should /, 'must ');
  if (e.keyword === 'required' && typeof missing === 'string') {
    path = path ? `${path}.${missing.replace(/^\./, '')}` : missing.replace(/^\./, '');
    message = 'is required';
  } else if (e.keyword === 'additionalProperties' && typeof extra === 'string') {
    path = path ? `${path}.${extra}` : extra;
    message = 'is not allowed';
  }
  return { path: path || '(root)', message };
}
