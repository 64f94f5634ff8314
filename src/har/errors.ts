/**
 * An input the tool cannot use at all (missing file, not JSON, not a HAR). The CLI prints `message`
 * as one line on stderr and exits with `exitCode` (2, see DESIGN.md "Exit codes").
 */
export class InputError extends Error {
  readonly exitCode = 2;
  constructor(message: string) {
    super(message);
    this.name = 'InputError';
  }
}
