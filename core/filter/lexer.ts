// Display-filter tokens, as Wireshark 4.0's epan/dfilter/scanner.l cuts them: punctuation, word and
// symbol operators, quoted strings (with C escapes, and r"raw" strings), 'c' character constants and
// unquoted words (field names or literal values such as 10.0.0.1/24, 00:1a:2b, 2001:db8::1). Inside
// [...] the scanner switches to slice syntax (0:3, 1-2, -1:, commas), as Wireshark's RANGE state does.

export type TokKind =
  | 'word' // field name or unquoted literal
  | 'string'
  | 'char'
  | 'int' // inside [ ]: a (possibly signed) integer
  | 'op' // comparison, logic or punctuation: text in `op`
  | 'eof';

export interface Token {
  kind: TokKind;
  /** For 'op': the canonical operator; for 'word': the text; for 'string': the decoded text. */
  text: string;
  /** For 'string': the literal's bytes (escapes like \xff are raw bytes, other text is UTF-8). */
  bytes?: Uint8Array;
  /** For 'char' and 'int': the value. */
  num?: number;
  start: number;
  end: number;
}

export class FilterSyntaxError {
  constructor(readonly message: string, readonly start: number, readonly end: number) {}
}

// Word operators (scanner.l): each maps to the canonical symbol the parser uses.
const WORD_OPS: Readonly<Record<string, string>> = {
  and: '&&', or: '||', not: '!', xor: '^^',
  eq: '==', any_eq: '==', ne: '!=', all_ne: '!=', all_eq: '===', any_ne: '!==',
  gt: '>', ge: '>=', lt: '<', le: '<=',
  contains: 'contains', matches: 'matches', in: 'in', bitwise_and: '&',
};

// Longest first, so "===" wins over "==" and "!==" over "!=".
const SYMBOLS = ['===', '!==', '==', '!=', '~=', '>=', '<=', '&&', '||', '^^', '..', '>', '<', '!', '~', '&',
  '(', ')', '[', ']', '{', '}', ',', '+', '*', '/', '%', '$', '#', '@', '|', '^', '='];
const SYMBOL_CANON: Readonly<Record<string, string>> = { '~=': '!==', '~': 'matches', '=': '=' };

/** Characters of an unquoted word: alphanumerics and _ . : / - (addresses, prefixes, names). */
function isWordChar(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) ||
    c === 0x5f || c === 0x2e || c === 0x3a || c === 0x2f || c === 0x2d || c >= 0x80;
}

const utf8 = new TextEncoder();

export function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  let bracketDepth = 0;
  const n = src.length;
  while (i < n) {
    const c = src.charCodeAt(i);
    if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d || c === 0x0b || c === 0x0c) { i++; continue; }
    const start = i;
    if (bracketDepth > 0) {
      // Slice syntax (Wireshark's RANGE state): integers, ':' '-' ',' and ']'.
      if (c === 0x5d) { out.push({ kind: 'op', text: ']', start, end: ++i }); bracketDepth--; continue; }
      if (c === 0x3a || c === 0x2c) { out.push({ kind: 'op', text: src[i], start, end: ++i }); continue; }
      if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
        // A '-' directly after an integer is the range dash; otherwise it starts a negative number.
        const prev = out[out.length - 1];
        if (c === 0x2d && prev !== undefined && prev.kind === 'int' && prev.end === i) {
          out.push({ kind: 'op', text: '-', start, end: ++i });
          continue;
        }
        let j = c === 0x2d ? i + 1 : i;
        const digitsStart = j;
        while (j < n && /[0-9a-fA-FxX]/.test(src[j])) j++;
        const txt = src.slice(digitsStart, j);
        const v = parseCInt(txt);
        if (v === null || j === digitsStart) throw new FilterSyntaxError(`"${src.slice(i, Math.max(j, i + 1))}" is not a valid range.`, i, Math.max(j, i + 1));
        out.push({ kind: 'int', text: src.slice(i, j), num: c === 0x2d ? -v : v, start, end: j });
        i = j;
        continue;
      }
      throw new FilterSyntaxError(`"${src[i]}" was unexpected in this context.`, i, i + 1);
    }
    if (c === 0x22 || ((c === 0x72 || c === 0x52) && src.charCodeAt(i + 1) === 0x22)) {
      const raw = c !== 0x22;
      const tok = readString(src, raw ? i + 1 : i, raw);
      tok.start = start;
      out.push(tok);
      i = tok.end;
      continue;
    }
    if (c === 0x27) {
      const tok = readChar(src, i);
      out.push(tok);
      i = tok.end;
      continue;
    }
    if (isWordChar(c)) {
      let j = i;
      // A word stops before ".." so that 80..90 is three tokens (set ranges).
      while (j < n && isWordChar(src.charCodeAt(j)) && !(src.charCodeAt(j) === 0x2e && src.charCodeAt(j + 1) === 0x2e)) j++;
      if (j === i) j = i; // ".." at the start is a symbol, handled below
      if (j > i) {
        const word = src.slice(i, j);
        const op = WORD_OPS[word];
        if (op !== undefined) out.push({ kind: 'op', text: op, start, end: j });
        else out.push({ kind: 'word', text: word, start, end: j });
        i = j;
        continue;
      }
    }
    let matched = '';
    for (const s of SYMBOLS) if (src.startsWith(s, i)) { matched = s; break; }
    if (matched === '') throw new FilterSyntaxError(`"${String.fromCodePoint(src.codePointAt(i) ?? c)}" was unexpected in this context.`, i, i + 1);
    i += matched.length;
    const canon = SYMBOL_CANON[matched] ?? matched;
    out.push({ kind: 'op', text: canon, start, end: i });
    if (matched === '[') bracketDepth++;
  }
  out.push({ kind: 'eof', text: '', start: n, end: n });
  return out;
}

/** strtoul with base 0 (Wireshark's literal integers): 0x hex, 0b binary, leading 0 octal, else decimal. */
export function parseCInt(txt: string): number | null {
  let m: RegExpExecArray | null;
  if ((m = /^0[xX]([0-9a-fA-F]+)$/.exec(txt))) return parseInt(m[1], 16);
  if ((m = /^0[bB]([01]+)$/.exec(txt))) return parseInt(m[1], 2);
  if (/^0[0-7]*$/.test(txt)) return parseInt(txt, 8);
  if (/^[1-9][0-9]*$/.test(txt)) return parseInt(txt, 10);
  return null;
}

/** Same as parseCInt but exact for 64-bit values. */
export function parseCBigInt(txt: string): bigint | null {
  let m: RegExpExecArray | null;
  if ((m = /^0[xX]([0-9a-fA-F]+)$/.exec(txt))) return BigInt('0x' + m[1]);
  if ((m = /^0[bB]([01]+)$/.exec(txt))) return BigInt('0b' + m[1]);
  if (/^0[0-7]*$/.test(txt)) return BigInt('0o' + (txt.length > 1 ? txt.slice(1) : '0'));
  if (/^[1-9][0-9]*$/.test(txt)) return BigInt(txt);
  return null;
}

const SIMPLE_ESCAPES: Readonly<Record<string, number>> = {
  a: 7, b: 8, f: 12, n: 10, r: 13, t: 9, v: 11, '\\': 0x5c, '"': 0x22, "'": 0x27, '?': 0x3f,
};

/**
 * Decodes one backslash escape at src[i] === '\\' into bytes (scanner.l's escape rules): C escapes,
 * \xhh, \ooo octal, \uXXXX and \UXXXXXXXX (as UTF-8). Returns the bytes and the index after it.
 */
function readEscape(src: string, i: number, quoteStart: number): { bytes: number[]; next: number } {
  const e = src[i + 1];
  if (e === undefined) throw new FilterSyntaxError('The final quote was missing from a quoted string.', quoteStart, src.length);
  const simple = SIMPLE_ESCAPES[e];
  if (simple !== undefined) return { bytes: [simple], next: i + 2 };
  if (e === 'x') {
    const m = /^[0-9a-fA-F]{1,2}/.exec(src.slice(i + 2, i + 4));
    if (!m) throw new FilterSyntaxError(`"\\x" must be followed by one or two hex digits.`, i, i + 2);
    return { bytes: [parseInt(m[0], 16)], next: i + 2 + m[0].length };
  }
  if (e >= '0' && e <= '7') {
    const m = /^[0-7]{1,3}/.exec(src.slice(i + 1, i + 4)) as RegExpExecArray;
    const v = parseInt(m[0], 8);
    if (v > 255) throw new FilterSyntaxError(`Octal escape "\\${m[0]}" is out of range.`, i, i + 1 + m[0].length);
    return { bytes: [v], next: i + 1 + m[0].length };
  }
  if (e === 'u' || e === 'U') {
    const len = e === 'u' ? 4 : 8;
    const hex = src.slice(i + 2, i + 2 + len);
    if (!new RegExp(`^[0-9a-fA-F]{${len}}$`).test(hex)) throw new FilterSyntaxError(`"\\${e}" must be followed by ${len} hex digits.`, i, i + 2);
    const cp = parseInt(hex, 16);
    if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) throw new FilterSyntaxError(`"\\${e}${hex}" is not a valid universal character name.`, i, i + 2 + len);
    return { bytes: Array.from(utf8.encode(String.fromCodePoint(cp))), next: i + 2 + len };
  }
  throw new FilterSyntaxError(`\\${e} is not a valid character escape sequence`, i, i + 2);
}

const utf8dec = new TextDecoder('utf-8');

function readString(src: string, q: number, raw: boolean): Token {
  const bytes: number[] = [];
  let i = q + 1;
  for (;;) {
    // tshark puts the caret just past the end of the filter.
    if (i >= src.length) throw new FilterSyntaxError('The final quote was missing from a quoted string.', src.length, src.length + 1);
    const ch = src[i];
    if (ch === '"') { i++; break; }
    if (ch === '\\') {
      if (raw) {
        // r"…": a backslash is kept, and only protects a following quote from ending the string.
        bytes.push(0x5c);
        if (src[i + 1] === '"' || src[i + 1] === '\\') { bytes.push(src.charCodeAt(i + 1)); i += 2; } else i++;
        continue;
      }
      const r = readEscape(src, i, q);
      for (const b of r.bytes) bytes.push(b);
      i = r.next;
      continue;
    }
    const cp = src.codePointAt(i) as number;
    const chs = String.fromCodePoint(cp);
    for (const b of utf8.encode(chs)) bytes.push(b);
    i += chs.length;
  }
  const u8 = Uint8Array.from(bytes);
  return { kind: 'string', text: utf8dec.decode(u8), bytes: u8, start: q, end: i };
}

function readChar(src: string, q: number): Token {
  let i = q + 1;
  let v: number;
  if (src[i] === '\\') {
    const r = readEscape(src, i, q);
    if (r.bytes.length !== 1) throw new FilterSyntaxError('A character constant must be a single byte.', q, r.next);
    v = r.bytes[0];
    i = r.next;
  } else {
    const cp = src.codePointAt(i);
    if (cp === undefined || src[i] === "'") throw new FilterSyntaxError('The final quote was missing from a character constant.', q, src.length);
    if (cp > 0x7f) throw new FilterSyntaxError('A character constant must be a single byte.', q, i + 1);
    v = cp;
    i++;
  }
  if (src[i] !== "'") throw new FilterSyntaxError('The final quote was missing from a character constant.', q, Math.min(src.length, i + 1));
  return { kind: 'char', text: src.slice(q, i + 1), num: v, start: q, end: i + 1 };
}
