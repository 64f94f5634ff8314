/**
 * Finds where JSON text first goes wrong, for an error message with a line and column. V8's own message on
 * Node 20 often has no position and quotes the input (which may hold secrets), so we locate the fault ourselves.
 * Iterative (no recursion), so deeply nested input cannot overflow the stack; linear in the text's length.
 */
export interface SyntaxFault {
  offset: number;
  reason: string;
}

export function findSyntaxFault(text: string): SyntaxFault | null {
  const n = text.length;
  let i = 0;
  // Each frame: what the container expects next.
  type Expect = 'value' | 'key' | 'colon' | 'comma-or-end' | 'first-key-or-end' | 'first-value-or-end';
  const stack: ('{' | '[')[] = [];
  let expect = 'value' as Expect;
  let done = false;
  const skipSpace = (): void => {
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) i += 1;
      else break;
    }
  };
  const describe = (at: number): string => (at >= n ? 'the text ends early' : `unexpected ${JSON.stringify(text[at])}`);
  const afterValue = (): void => {
    if (stack.length === 0) done = true;
    else expect = 'comma-or-end';
  };
  while (true) {
    skipSpace();
    if (done) return i < n ? { offset: i, reason: `${describe(i)} after the end of the JSON` } : null;
    if (i >= n) return { offset: n, reason: 'the text ends early' };
    const c = text[i]!;
    switch (expect) {
      case 'value':
      case 'first-value-or-end': {
        if (expect === 'first-value-or-end' && c === ']') {
          stack.pop();
          i += 1;
          afterValue();
          break;
        }
        if (c === '{') {
          stack.push('{');
          expect = 'first-key-or-end';
          i += 1;
        } else if (c === '[') {
          stack.push('[');
          expect = 'first-value-or-end';
          i += 1;
        } else if (c === '"') {
          const end = skipString(text, i);
          if (end < 0) return { offset: -end - 1, reason: end === -(n + 1) ? 'the text ends inside a string' : 'bad escape or control character in a string' };
          i = end;
          afterValue();
        } else {
          const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?|^true|^false|^null/.exec(text.slice(i, i + 64));
          if (!m) return { offset: i, reason: describe(i) };
          i += m[0].length;
          afterValue();
        }
        break;
      }
      case 'key':
      case 'first-key-or-end': {
        if (expect === 'first-key-or-end' && c === '}') {
          stack.pop();
          i += 1;
          afterValue();
          break;
        }
        if (c !== '"') return { offset: i, reason: `${describe(i)} where a property name was expected` };
        const end = skipString(text, i);
        if (end < 0) return { offset: -end - 1, reason: 'the text ends inside a string' };
        i = end;
        expect = 'colon';
        break;
      }
      case 'colon':
        if (c !== ':') return { offset: i, reason: `${describe(i)} where ':' was expected` };
        i += 1;
        expect = 'value';
        break;
      case 'comma-or-end': {
        const top = stack[stack.length - 1];
        if (c === ',') {
          i += 1;
          expect = top === '{' ? 'key' : 'value';
        } else if ((c === '}' && top === '{') || (c === ']' && top === '[')) {
          stack.pop();
          i += 1;
          afterValue();
        } else return { offset: i, reason: `${describe(i)} where ',' or '${top === '{' ? '}' : ']'}' was expected` };
        break;
      }
    }
  }
}

/** Returns the offset after the closing quote, or -(offset+1) of the fault. */
function skipString(text: string, start: number): number {
  const n = text.length;
  let i = start + 1;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 0x22) return i + 1;
    if (c === 0x5c) {
      const e = text[i + 1];
      if (e === undefined) return -(n + 1);
      if (e === 'u') {
        if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) return -(i + 1);
        i += 6;
      } else if ('"\\/bfnrt'.includes(e)) i += 2;
      else return -(i + 1);
    } else if (c < 0x20) return -(i + 1);
    else i += 1;
  }
  return -(n + 1);
}
