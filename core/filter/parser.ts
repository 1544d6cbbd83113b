// Display-filter grammar (Wireshark 4.0's epan/dfilter/grammar.lemon), as a recursive-descent parser
// producing an AST with source positions. Precedence, loosest first: or (||), xor (^^), and (&&),
// not (!), then a relation (a == b, a in {…}, a contains b, a matches "re") or a bare entity, which is
// an existence test. "a and b or c" is "(a and b) or c", as tshark 4.0 evaluates it.

import { FilterSyntaxError, type Token, tokenize } from './lexer.js';

export interface Span { start: number; end: number }

/** One range of a slice: [start:len], [start-end] (inclusive), [start:] (to the end), [i]. */
export interface SliceRange { start: number; len: number | null; end?: number }

export type Entity =
  | (Span & { k: 'word'; text: string })
  | (Span & { k: 'string'; text: string; bytes: Uint8Array })
  | (Span & { k: 'char'; value: number })
  | (Span & { k: 'slice'; inner: Entity; ranges: SliceRange[] })
  | (Span & { k: 'call'; name: string; nameSpan: Span; args: Entity[] })
  | (Span & { k: 'bitand'; left: Entity; right: Entity });

export type SetItem = { lo: Entity; hi: Entity | null };

export type CmpOp = '==' | '!=' | '===' | '!==' | '>' | '>=' | '<' | '<=' | 'contains' | 'matches';

export type Expr =
  | (Span & { k: 'or' | 'and' | 'xor'; left: Expr; right: Expr })
  | (Span & { k: 'not'; expr: Expr })
  | (Span & { k: 'test'; entity: Entity })
  | (Span & { k: 'cmp'; op: CmpOp; opSpan: Span; left: Entity; right: Entity })
  | (Span & { k: 'in'; negated: boolean; left: Entity; items: SetItem[] });

export interface ParseResult {
  expr: Expr;
  /** Notes about accepted syntax that Wireshark 4.0 deprecates or does not know. */
  warnings: string[];
}

const CMP_OPS = new Set(['==', '!=', '===', '!==', '>', '>=', '<', '<=', 'contains', 'matches']);

/** Nesting deeper than this is refused, so a hostile filter cannot exhaust the stack. */
const MAX_DEPTH = 200;
/**
 * More and/or/xor operators than this are refused: the compiled closures nest one level per operator
 * and are called recursively for every packet, so the count bounds the evaluator's stack too.
 */
const MAX_LOGIC = 1000;

class Parser {
  private pos = 0;
  private depth = 0;
  private logic = 0;
  readonly warnings: string[] = [];
  constructor(private readonly toks: Token[], private readonly src: string) {}

  private peek(): Token { return this.toks[this.pos]; }
  private next(): Token { return this.toks[this.pos++]; }
  private isOp(text: string): boolean {
    const t = this.toks[this.pos];
    return t.kind === 'op' && t.text === text;
  }

  unexpected(t: Token): FilterSyntaxError {
    if (t.kind === 'eof') return new FilterSyntaxError('Unexpected end of filter expression.', this.src.length, this.src.length);
    return new FilterSyntaxError(`"${this.src.slice(t.start, t.end)}" was unexpected in this context.`, t.start, t.end);
  }
  private expect(text: string): Token {
    const t = this.peek();
    if (t.kind !== 'op' || t.text !== text) throw this.unexpected(t);
    return this.next();
  }

  parse(): Expr {
    const e = this.orExpr();
    const t = this.peek();
    if (t.kind !== 'eof') throw this.unexpected(t);
    return e;
  }

  private countLogic(t: Token): void {
    if (++this.logic > MAX_LOGIC) throw new FilterSyntaxError(`The filter has more than ${MAX_LOGIC} and/or operators.`, t.start, t.end);
  }

  private enter(t: Token): void {
    if (++this.depth > MAX_DEPTH) throw new FilterSyntaxError('The filter is nested too deeply.', t.start, t.end);
  }

  private orExpr(): Expr {
    let left = this.xorExpr();
    while (this.isOp('||')) {
      this.countLogic(this.next());
      const right = this.xorExpr();
      left = { k: 'or', left, right, start: left.start, end: right.end };
    }
    return left;
  }

  private xorExpr(): Expr {
    let left = this.andExpr();
    while (this.isOp('^^')) {
      const t = this.next();
      this.countLogic(t);
      if (!this.warnings.some((w) => w.startsWith('"xor"'))) {
        this.warnings.push(`"xor" (^^) at ${t.start} is not understood by Wireshark 4.0 (it arrived in 4.2); write (a and not b) or (b and not a) for older versions.`);
      }
      const right = this.andExpr();
      left = { k: 'xor', left, right, start: left.start, end: right.end };
    }
    return left;
  }

  private andExpr(): Expr {
    let left = this.notExpr();
    while (this.isOp('&&')) {
      this.countLogic(this.next());
      const right = this.notExpr();
      left = { k: 'and', left, right, start: left.start, end: right.end };
    }
    return left;
  }

  private notExpr(): Expr {
    const t = this.peek();
    if (t.kind === 'op' && t.text === '!') {
      this.next();
      this.enter(t);
      const e = this.notExpr();
      this.depth--;
      return { k: 'not', expr: e, start: t.start, end: e.end };
    }
    return this.relation();
  }

  private relation(): Expr {
    const t = this.peek();
    if (t.kind === 'op' && t.text === '(') {
      // "(" opens a sub-expression; an entity never starts with "(".
      this.next();
      this.enter(t);
      const e = this.orExpr();
      const close = this.expect(')');
      this.depth--;
      return { ...e, start: t.start, end: close.end } as Expr;
    }
    const left = this.entity();
    const op = this.peek();
    if (op.kind === 'op' && CMP_OPS.has(op.text)) {
      this.next();
      const right = this.entity();
      return { k: 'cmp', op: op.text as CmpOp, opSpan: { start: op.start, end: op.end }, left, right, start: left.start, end: right.end };
    }
    if (op.kind === 'op' && (op.text === 'in' || (op.text === '!' && this.toks[this.pos + 1].kind === 'op' && this.toks[this.pos + 1].text === 'in'))) {
      const negated = op.text === '!';
      this.next();
      if (negated) this.next();
      return this.set(left, negated);
    }
    return { k: 'test', entity: left, start: left.start, end: left.end };
  }

  private set(left: Entity, negated: boolean): Expr {
    const open = this.expect('{');
    const items: SetItem[] = [];
    let sawComma = false, sawSpace = false;
    for (;;) {
      const lo = this.entity();
      let hi: Entity | null = null;
      if (this.isOp('..')) {
        this.next();
        hi = this.entity();
      }
      items.push({ lo, hi });
      const t = this.peek();
      if (t.kind === 'op' && t.text === '}') { this.next(); break; }
      if (t.kind === 'op' && t.text === ',') { this.next(); sawComma = true; continue; }
      if (t.kind === 'word' || t.kind === 'string' || t.kind === 'char') { sawSpace = true; continue; }
      throw this.unexpected(t);
    }
    if (sawSpace) {
      if (sawComma) throw new FilterSyntaxError('Set elements must be separated by commas, not by a mix of commas and spaces.', open.start, this.toks[this.pos - 1].end);
      this.warnings.push(`Set elements separated by spaces ({80 443}) are Wireshark 3.x syntax that Wireshark 4.0 rejects; write them with commas: {80, 443}.`);
    }
    const close = this.toks[this.pos - 1];
    return { k: 'in', negated, left, items, start: left.start, end: close.end };
  }

  /** A value: a word (field or literal), string, char, function call, each optionally sliced; a & b. */
  private entity(): Entity {
    let e = this.primary();
    while (this.isOp('&')) {
      this.next();
      const right = this.primary();
      e = { k: 'bitand', left: e, right, start: e.start, end: right.end };
    }
    return e;
  }

  private primary(): Entity {
    const t = this.next();
    let e: Entity;
    if (t.kind === 'word') {
      if (this.isOp('(')) {
        e = this.call(t);
      } else {
        e = { k: 'word', text: t.text, start: t.start, end: t.end };
      }
    } else if (t.kind === 'string') {
      e = { k: 'string', text: t.text, bytes: t.bytes as Uint8Array, start: t.start, end: t.end };
    } else if (t.kind === 'char') {
      e = { k: 'char', value: t.num as number, start: t.start, end: t.end };
    } else if (t.kind === 'op' && (t.text === '{' || t.text === '$' || t.text === '@' || t.text === '#')) {
      throw new FilterSyntaxError(`"${t.text}" (arithmetic, field references and layers) is not supported by this filter engine.`, t.start, t.end);
    } else {
      throw this.unexpected(t);
    }
    while (this.isOp('[')) e = this.slice(e);
    return e;
  }

  private call(name: Token): Entity {
    const open = this.next();
    this.enter(open);
    const args: Entity[] = [];
    if (!this.isOp(')')) {
      for (;;) {
        args.push(this.entity());
        if (this.isOp(',')) { this.next(); continue; }
        break;
      }
    }
    const close = this.expect(')');
    this.depth--;
    return { k: 'call', name: name.text, nameSpan: { start: name.start, end: name.end }, args, start: name.start, end: close.end };
  }

  private slice(inner: Entity): Entity {
    this.expect('[');
    const ranges: SliceRange[] = [];
    for (;;) {
      const t = this.peek();
      let start = 0;
      let len: number | null;
      let endIdx: number | undefined;
      if (t.kind === 'op' && t.text === ':') {
        // [:n] is [0:n]
        this.next();
        const n = this.next();
        if (n.kind !== 'int') throw this.unexpected(n);
        len = n.num as number;
      } else {
        if (t.kind !== 'int') throw this.unexpected(t);
        this.next();
        start = t.num as number;
        if (this.isOp(':')) {
          this.next();
          const n = this.peek();
          if (n.kind === 'int') { this.next(); len = n.num as number; } else len = null;
        } else if (this.isOp('-')) {
          this.next();
          const n = this.next();
          if (n.kind !== 'int') throw this.unexpected(n);
          endIdx = n.num as number;
          len = 0;
        } else {
          len = 1;
        }
      }
      if (len !== null && len < 0) throw new FilterSyntaxError(`Length ${len} of a slice must not be negative.`, t.start, this.toks[this.pos - 1].end);
      ranges.push(endIdx !== undefined ? { start, len: null, end: endIdx } : { start, len });
      if (this.isOp(',')) { this.next(); continue; }
      break;
    }
    const close = this.expect(']');
    return { k: 'slice', inner, ranges, start: inner.start, end: close.end };
  }
}

export function parse(src: string): ParseResult {
  const toks = tokenize(src);
  if (toks.length === 1) throw new FilterSyntaxError('The filter is empty.', 0, 0);
  const p = new Parser(toks, src);
  const expr = p.parse();
  return { expr, warnings: p.warnings };
}
