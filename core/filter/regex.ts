// "matches": Wireshark 4.0 hands the pattern to PCRE2 with PCRE2_CASELESS (epan/dfilter/dfvm.c;
// tshark 4.0.17: `frame.protocols matches "ETH"` finds "eth:..."), so matching is case-insensitive
// unless the pattern says (?-i). JS RegExp backtracks, so a filter such as `matches "(a+)+$"` could
// hang the renderer: we use re2js, a pure-JS port of RE2 whose matching time is linear in the input.
// RE2 has no backreferences or look-around; such patterns get a clear error instead of a hang.

import { RE2JS } from 're2js';

export interface Regex {
  readonly pattern: string;
  test(subject: string): boolean;
}

/** Patterns longer than this are refused: compile cost and program size grow with the pattern. */
const MAX_PATTERN = 4096;

const UNSUPPORTED: readonly [RegExp, string][] = [
  [/\(\?<?[=!]/, 'look-around assertions ((?=, (?!, (?<=, (?<!)'],
  [/\\[1-9]|\\g\{?-?\d|\\k[<{']/, 'backreferences'],
  [/\(\?>/, 'atomic groups ((?>…))'],
  [/[*+?}]\+/, 'possessive quantifiers (*+, ++, ?+)'],
  [/\(\?R\)|\(\?\d+\)|\(\?&/, 'recursion'],
];

/**
 * PCRE2 syntax that RE2 spells differently: `$` at the end also matches before a final newline in
 * PCRE2 (as `\Z` does), and `\h` is horizontal white space. Characters inside [...] are left alone.
 */
function translate(p: string): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < p.length; i++) {
    const c = p[i];
    if (c === '\\') {
      const n = p[i + 1] ?? '';
      if (!inClass && n === 'Z') { out += '(?:\\n?\\z)'; i++; continue; }
      if (n === 'h') { out += inClass ? ' \\t' : '[ \\t]'; i++; continue; }
      out += c + n;
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      out += c;
      continue;
    }
    if (c === '[') {
      inClass = true;
      out += c;
      if (p[i + 1] === '^') { out += '^'; i++; }
      if (p[i + 1] === ']') { out += '\\]'; i++; }
      continue;
    }
    if (c === '$') { out += '(?:\\n?$)'; continue; }
    out += c;
  }
  return out;
}

/** Compiles a PCRE2-style pattern, or returns an error message. Never throws. */
export function compileRegex(pattern: string): Regex | string {
  if (pattern.length > MAX_PATTERN) return `The regular expression is ${pattern.length} characters long; the limit is ${MAX_PATTERN}.`;
  for (const [re, what] of UNSUPPORTED) {
    if (re.test(pattern)) return `The regular expression uses ${what}, which the linear-time matcher (RE2) does not support; rewrite it without them.`;
  }
  try {
    const re = RE2JS.compile(translate(pattern), RE2JS.CASE_INSENSITIVE);
    return { pattern, test: (s: string) => re.test(s) };
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    return `"${pattern}" is not a valid regular expression: ${msg.replace(/^error parsing regexp: /, '')}.`;
  }
}
