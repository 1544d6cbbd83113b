// Wireshark display filters: compile once (lexer -> parser -> semantic check -> closures), then
// evaluate per packet on its ProtoTree. Errors are values with the span to underline, never
// exceptions; the messages follow tshark 4.0.17's.

import { FT, allFields, fieldCount } from '../fields/registry.js';
import type { ProtoTree } from '../dissect/tree.js';
import { Checker } from './check.js';
import { compileTest, rawMatcher } from './compile.js';
import { FilterSyntaxError } from './lexer.js';
import { parse } from './parser.js';
import { typeName } from './values.js';

export interface DisplayFilter {
  readonly text: string;
  /** 1 at each field id the filter reads (length fieldCount()): build the tree in 'fields' mode with it. */
  readonly interest: Uint8Array;
  matches(tree: ProtoTree): boolean;
  /** Accepted syntax that Wireshark 4.0 deprecates or does not know. */
  readonly warnings: string[];
  /**
   * Set when a frame's captured bytes alone can rule it out (`frame contains "IHDR"`, or one side of an
   * "and" being such a test): false means the filter cannot match, so callers may skip dissection;
   * true means `matches` must still decide. Null when the bytes alone say nothing.
   */
  readonly matchesRaw: ((frame: Uint8Array) => boolean) | null;
}

export type CompileResult =
  | { ok: true; filter: DisplayFilter }
  | { ok: false; message: string; start: number; end: number };

/** Filters longer than this are refused (a filter bar is not a place for megabytes). */
const MAX_FILTER = 65536;

export function compileFilter(text: string): CompileResult {
  if (text.length > MAX_FILTER) return { ok: false, message: `The filter is ${text.length} characters long; the limit is ${MAX_FILTER}.`, start: 0, end: text.length };
  try {
    const { expr, warnings } = parse(text);
    const checker = new Checker(text);
    const test = checker.test(expr);
    const pred = compileTest(test);
    const interest = new Uint8Array(fieldCount());
    for (const id of checker.fields) interest[id] = 1;
    const filter: DisplayFilter = {
      text,
      interest,
      warnings,
      matches: pred,
      matchesRaw: rawMatcher(test),
    };
    return { ok: true, filter };
  } catch (e) {
    if (e instanceof FilterSyntaxError) return { ok: false, message: e.message, start: e.start, end: e.end };
    if (e instanceof RangeError) return { ok: false, message: 'The filter is too complex to compile.', start: 0, end: text.length };
    // Anything else is a bug in the compiler: report it as an error on the whole filter rather than
    // letting one odd filter take the UI down.
    const msg = e instanceof Error ? e.message : String(e);
    return { ok: false, message: `Internal error while compiling the filter: ${msg}`, start: 0, end: text.length };
  }
}

export interface FilterCheck {
  state: 'valid' | 'invalid' | 'deprecated';
  message?: string;
  start?: number;
  end?: number;
}

/** For the filter bar's colour as you type: green (valid), red (invalid, with the span), yellow (deprecated). */
export function checkFilter(text: string): FilterCheck {
  if (text.trim() === '') return { state: 'valid' };
  const r = compileFilter(text);
  if (!r.ok) return { state: 'invalid', message: r.message, start: r.start, end: r.end };
  if (r.filter.warnings.length > 0) return { state: 'deprecated', message: r.filter.warnings.join(' ') };
  return { state: 'valid' };
}

export interface Completion { name: string; label: string; type: string }

/**
 * Field and protocol names starting with `prefix`, for the filter bar's completion list: protocols
 * first, then the shortest names (the next level of the hierarchy before its leaves), then by name.
 */
export function completeField(prefix: string, limit = 50): Completion[] {
  const p = prefix.trim().toLowerCase();
  const hits = allFields().filter((f) => f.abbrev.toLowerCase().startsWith(p));
  hits.sort((a, b) => {
    const pa = a.type === FT.PROTOCOL ? 0 : 1, pb = b.type === FT.PROTOCOL ? 0 : 1;
    if (pa !== pb) return pa - pb;
    const da = a.abbrev.split('.').length, db = b.abbrev.split('.').length;
    if (da !== db) return da - db;
    return a.abbrev < b.abbrev ? -1 : a.abbrev > b.abbrev ? 1 : 0;
  });
  return hits.slice(0, Math.max(0, limit)).map((f) => ({ name: f.abbrev, label: f.name, type: typeName(f.type) }));
}
