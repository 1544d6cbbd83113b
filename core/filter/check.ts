// Semantic checks (Wireshark 4.0's epan/dfilter/semcheck.c): names resolved against the field
// registry, literals converted to the type of the field they meet, operators checked against types.
// The result is a typed program (Test/Val) that compile.ts turns into closures.

import { FT, type Field, fieldByName } from '../fields/registry.js';
import { FilterSyntaxError } from './lexer.js';
import type { CmpOp, Entity, Expr, SliceRange, Span } from './parser.js';
import { compileRegex, type Regex } from './regex.js';
import { bytesToLatin1 } from './compile.js';
import { type Const, type Kind, type Literal, ValueError, kindOf, literalFor, typeName } from './values.js';

export type Val =
  | { k: 'field'; field: Field; kind: Kind; type: FT }
  | { k: 'slice'; inner: Val; ranges: SliceRange[]; kind: 'bytes'; type: FT }
  | { k: 'len'; field: Field; kind: 'int'; type: FT }
  | { k: 'count'; field: Field; kind: 'int'; type: FT }
  | { k: 'case'; upper: boolean; arg: Val; kind: 'string'; type: FT }
  | { k: 'bitand'; arg: Val; mask: number | bigint | Uint8Array; kind: Kind; type: FT }
  | { k: 'const'; value: Const; kind: Kind; type: FT };

/** Quantifiers of a comparison (Wireshark 4.0 "any_eq", "all_ne", "all_eq", "any_ne"). */
export type Quant = 'any' | 'all';

export type Test =
  | { k: 'and' | 'or' | 'xor'; left: Test; right: Test }
  | { k: 'not'; test: Test }
  | { k: 'exists'; val: Val }
  | { k: 'cmp'; op: 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le' | 'contains'; quant: Quant; left: Val; right: Val }
  | { k: 'in'; left: Val; items: { lo: Const; hi: Const | null }[] }
  | { k: 'matches'; left: Val; re: Regex };

function err(message: string, span: Span): FilterSyntaxError {
  return new FilterSyntaxError(message, span.start, span.end);
}

function srcText(src: string, span: Span): string {
  return src.slice(span.start, span.end);
}

/** A word names a field when the registry has it (".name" forces a field, as in Wireshark 4.0). */
function resolveWord(text: string): Field | undefined {
  return fieldByName(text.startsWith('.') ? text.slice(1) : text);
}

const FUNCTIONS = new Set(['len', 'count', 'lower', 'upper']);

const SLICEABLE = new Set([FT.BYTES, FT.ETHER, FT.PROTOCOL, FT.STRING, FT.IPv4, FT.IPv6]);

export class Checker {
  /** Field ids the program reads (DisplayFilter.interest). */
  readonly fields = new Set<number>();
  constructor(private readonly src: string) {}

  test(e: Expr): Test {
    switch (e.k) {
      case 'and': case 'or': case 'xor':
        return { k: e.k, left: this.test(e.left), right: this.test(e.right) };
      case 'not':
        return { k: 'not', test: this.test(e.expr) };
      case 'test':
        return { k: 'exists', val: this.existence(e.entity) };
      case 'in':
        return this.inSet(e.left, e.items, e.negated);
      case 'cmp':
        return this.cmp(e.op, e.opSpan, e.left, e.right);
    }
  }

  private existence(ent: Entity): Val {
    if (ent.k === 'call') {
      // tshark names an unknown function before refusing a bare call.
      if (!FUNCTIONS.has(ent.name)) throw err(`Function '${ent.name}' does not exist`, ent.nameSpan);
      throw err('You cannot test whether a function is present.', ent.nameSpan);
    }
    if (ent.k === 'word' || ent.k === 'string' || ent.k === 'char') {
      const f = ent.k === 'word' ? resolveWord(ent.text) : undefined;
      if (f === undefined) throw err(`${srcText(this.src, ent)} is neither a field nor a protocol name.`, ent);
      this.fields.add(f.id);
      return { k: 'field', field: f, kind: kindOf(f.type), type: f.type };
    }
    const v = this.value(ent);
    if (v === null) throw err(`${srcText(this.src, ent)} is neither a field nor a protocol name.`, ent);
    return v;
  }

  /** A value expression, or null when `ent` is a literal whose type comes from the other side. */
  private value(ent: Entity): Val | null {
    switch (ent.k) {
      case 'word': {
        const f = resolveWord(ent.text);
        if (f === undefined) return null;
        this.fields.add(f.id);
        return { k: 'field', field: f, kind: kindOf(f.type), type: f.type };
      }
      case 'string': case 'char':
        return null;
      case 'slice': {
        const inner = this.value(ent.inner);
        if (inner === null) throw err(`${srcText(this.src, ent.inner)} is neither a field nor a protocol name.`, ent.inner);
        if (inner.k === 'field' && !SLICEABLE.has(inner.type)) {
          throw err(`"${inner.field.abbrev}" is a ${typeName(inner.type)} and cannot be sliced into a sequence of bytes.`, ent.inner);
        }
        if (inner.k !== 'field' && inner.k !== 'case' && inner.k !== 'slice') throw err(`${srcText(this.src, ent.inner)} cannot be sliced into a sequence of bytes.`, ent.inner);
        return { k: 'slice', inner, ranges: ent.ranges, kind: 'bytes', type: FT.BYTES };
      }
      case 'call':
        return this.call(ent);
      case 'bitand': {
        const left = this.value(ent.left);
        if (left === null) throw err(`${srcText(this.src, ent.left)} is neither a field nor a protocol name.`, ent.left);
        // Integers, and byte strings byte by byte (tshark 4.0 takes `tcp[13] & 0x02`).
        if (left.kind !== 'int' && left.kind !== 'int64' && left.kind !== 'bool' && left.kind !== 'bytes') {
          throw err(`${srcText(this.src, ent.left)} (type=${typeName(left.type)}) cannot participate in bitwise "&" operation.`, ent.left);
        }
        const right = this.value(ent.right);
        if (right !== null) throw err('The right side of "&" must be a constant.', ent.right);
        const c = this.literal(ent.right, left);
        const mask = typeof c === 'boolean' ? (c ? 1 : 0) : (c as number | bigint | Uint8Array);
        if (left.kind === 'bytes') return { k: 'bitand', arg: left, mask, kind: 'bytes', type: FT.BYTES };
        return { k: 'bitand', arg: left, mask, kind: left.kind === 'bool' ? 'int' : left.kind, type: left.kind === 'bool' ? FT.UINT32 : left.type };
      }
    }
  }

  private call(ent: Entity & { k: 'call' }): Val {
    const name = ent.name;
    const one = (): Entity => {
      if (ent.args.length !== 1) throw err(`Function ${name}() takes exactly one argument.`, ent.nameSpan);
      return ent.args[0];
    };
    switch (name) {
      case 'len': case 'count': {
        const a = one();
        const v = this.value(a);
        if (v === null || v.k !== 'field') throw err(`Only fields can be used as parameter for ${name}()`, a);
        return name === 'len' ? { k: 'len', field: v.field, kind: 'int', type: FT.UINT32 } : { k: 'count', field: v.field, kind: 'int', type: FT.UINT32 };
      }
      case 'lower': case 'upper': {
        const a = one();
        const v = this.value(a);
        if (v === null || v.kind !== 'string') throw err(`Only string type fields can be used as parameter for ${name}()`, a);
        return { k: 'case', upper: name === 'upper', arg: v, kind: 'string', type: FT.STRING };
      }
      default:
        throw err(`Function '${name}' does not exist`, ent.nameSpan);
    }
  }

  private literal(ent: Entity, other: Val): Const {
    let lit: Literal;
    if (ent.k === 'word') lit = { k: 'word', text: ent.text };
    else if (ent.k === 'string') lit = { k: 'string', text: ent.text, bytes: ent.bytes };
    else if (ent.k === 'char') lit = { k: 'char', value: ent.value };
    else throw err(`${srcText(this.src, ent)} is not a value.`, ent);
    try {
      return literalFor(other.k === 'field' ? other.field : null, other.type, lit);
    } catch (e) {
      if (e instanceof ValueError) throw err(e.message, ent);
      throw e;
    }
  }

  /** Left and right of a relation; at least one side must be a field, slice or function. */
  private sides(left: Entity, right: Entity): [Val, Val] {
    const l = this.value(left);
    const r = this.value(right);
    if (l === null && r === null) {
      throw err(`${srcText(this.src, left)} is neither a field nor a protocol name.`, left);
    }
    if (l === null) {
      const rv = r as Val;
      return [{ k: 'const', value: this.literal(left, rv), kind: rv.kind, type: rv.type }, rv];
    }
    if (r === null) return [l, { k: 'const', value: this.literal(right, l), kind: l.kind, type: l.type }];
    if (l.kind !== r.kind) {
      throw err(`${srcText(this.src, left)} and ${srcText(this.src, right)} are not of compatible types.`, right);
    }
    return [l, r];
  }

  private cmp(op: CmpOp, opSpan: Span, left: Entity, right: Entity): Test {
    if (op === 'matches') {
      const l = this.value(left);
      if (l === null) throw err(`${srcText(this.src, left)} is neither a field nor a protocol name.`, left);
      if (l.kind !== 'bytes' && l.kind !== 'string') {
        throw err(`${srcText(this.src, left)} (type=${typeName(l.type)}) cannot participate in matches comparison.`, left);
      }
      if (right.k !== 'string' && right.k !== 'word') throw err('The right side of "matches" must be a string (a regular expression).', right);
      // PCRE2 sees bytes: against bytes (frames, protocols) the pattern's bytes are matched one to one
      // ("\xaa" is the byte 0xaa); against text fields the pattern is UTF-8 text.
      const pattern = right.k === 'string' && l.kind === 'bytes' ? bytesToLatin1(right.bytes) : right.text;
      const re = compileRegex(pattern);
      if (typeof re === 'string') throw err(re, right);
      return { k: 'matches', left: l, re };
    }
    const [l, r] = this.sides(left, right);
    const kind = l.kind;
    if (kind === 'none') throw err(`${srcText(this.src, left)} (type=${typeName(l.type)}) cannot participate in '${op}' comparison.`, left);
    if (op === 'contains') {
      if (kind !== 'bytes' && kind !== 'string') {
        throw err(`${srcText(this.src, left)} (type=${typeName(l.type)}) cannot participate in contains comparison.`, left);
      }
      return { k: 'cmp', op: 'contains', quant: 'any', left: l, right: r };
    }
    void opSpan;
    const map: Record<string, ['eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le', Quant]> = {
      '==': ['eq', 'any'], '!=': ['ne', 'all'], '===': ['eq', 'all'], '!==': ['ne', 'any'],
      '>': ['gt', 'any'], '>=': ['ge', 'any'], '<': ['lt', 'any'], '<=': ['le', 'any'],
    };
    const [o, quant] = map[op];
    return { k: 'cmp', op: o, quant, left: l, right: r };
  }

  private inSet(left: Entity, items: { lo: Entity; hi: Entity | null }[], negated: boolean): Test {
    const l = this.value(left);
    if (l === null) throw err(`${srcText(this.src, left)} is neither a field nor a protocol name.`, left);
    const out: { lo: Const; hi: Const | null }[] = [];
    for (const it of items) {
      if (this.value(it.lo) !== null) throw err(`Set elements must be constants; ${srcText(this.src, it.lo)} is a field.`, it.lo);
      const lo = this.literal(it.lo, l);
      let hi: Const | null = null;
      if (it.hi !== null) {
        if (this.value(it.hi) !== null) throw err(`Set elements must be constants; ${srcText(this.src, it.hi)} is a field.`, it.hi);
        if (l.kind === 'bool') throw err(`${srcText(this.src, left)} (type=${typeName(l.type)}) cannot be compared with a range.`, it.lo);
        hi = this.literal(it.hi, l);
      }
      out.push({ lo, hi });
    }
    const t: Test = { k: 'in', left: l, items: out };
    return negated ? { k: 'not', test: t } : t;
  }
}
