import type { CaptureWarning } from '../model.js';

/**
 * Collects repairs made while reading a capture. The same kind of repair is reported once with a count,
 * so a capture with 10,000 odd timings yields one line, not 10,000.
 */
export class WarningCollector {
  private readonly byCode = new Map<string, CaptureWarning>();

  add(code: string, message: string): void {
    const known = this.byCode.get(code);
    if (known) known.count += 1;
    else this.byCode.set(code, { code, message, count: 1 });
  }

  list(): CaptureWarning[] {
    return [...this.byCode.values()];
  }
}

/** "3 entries have …" style rendering: the count comes first when it is more than one. */
export function formatWarning(w: CaptureWarning): string {
  return w.count > 1 ? `${w.message} (×${w.count})` : w.message;
}
