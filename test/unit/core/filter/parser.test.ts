// The parser and lexer on their own: AST shapes with source positions, precedence, slices, sets,
// strings with escapes; and the UI helpers checkFilter (bar colour) and completeField.

import { describe, expect, it } from 'vitest';
import '../../../../core/dissect/index.js';
import { checkFilter, compileFilter, completeField } from '../../../../core/filter/index.js';
import { tokenize } from '../../../../core/filter/lexer.js';
import { parse } from '../../../../core/filter/parser.js';

describe('lexer', () => {
  it('cuts words, operators, strings and slices with positions', () => {
    const toks = tokenize('ip.src==10.0.0.0/8 && eth.src[0:3] ne "a\\x41\\101"');
    expect(toks.map((t) => [t.kind, t.text, t.start, t.end])).toEqual([
      ['word', 'ip.src', 0, 6], ['op', '==', 6, 8], ['word', '10.0.0.0/8', 8, 18], ['op', '&&', 19, 21],
      ['word', 'eth.src', 22, 29], ['op', '[', 29, 30], ['int', '0', 30, 31], ['op', ':', 31, 32], ['int', '3', 32, 33],
      ['op', ']', 33, 34], ['op', '!=', 35, 37], ['string', 'aAA', 38, 49], ['eof', '', 49, 49],
    ]);
  });
  it('splits ranges in sets and keeps IPv6 and MAC words whole', () => {
    expect(tokenize('{80..90}').map((t) => t.text)).toEqual(['{', '80', '..', '90', '}', '']);
    expect(tokenize('2001:db8::1/64 aa-bb-cc').map((t) => t.text)).toEqual(['2001:db8::1/64', 'aa-bb-cc', '']);
  });
  it('reads word operators and their symbols alike', () => {
    const words = tokenize('a and b or c xor d not e eq f ne g gt h ge i lt j le k contains l matches m in n ~ o ~= p');
    expect(words.filter((t) => t.kind === 'op').map((t) => t.text)).toEqual(
      ['&&', '||', '^^', '!', '==', '!=', '>', '>=', '<', '<=', 'contains', 'matches', 'in', 'matches', '!=='],
    );
  });
  it('keeps raw bytes of escapes and UTF-8 of text, and raw strings as written', () => {
    const [s] = tokenize('"\\xff\\u00e9é"');
    expect(Array.from(s.bytes ?? [])).toEqual([0xff, 0xc3, 0xa9, 0xc3, 0xa9]);
    const [r] = tokenize('r"\\d+\\.png"');
    expect(r.text).toBe('\\d+\\.png');
    expect(tokenize("'a'")[0].num).toBe(97);
  });
});

describe('parser', () => {
  it('binds and tighter than or, not tighter than and, and keeps spans', () => {
    const { expr } = parse('a or b and not c');
    expect(expr).toMatchObject({
      k: 'or', start: 0, end: 16,
      left: { k: 'test', entity: { k: 'word', text: 'a' } },
      right: { k: 'and', start: 5, left: { k: 'test' }, right: { k: 'not', start: 11, expr: { k: 'test', start: 15 } } },
    });
  });
  it('parses slices in all their forms', () => {
    const { expr } = parse('frame[0:3,-1,2-4,5:,:2] == 1');
    expect(expr).toMatchObject({ k: 'cmp', left: { k: 'slice', ranges: [
      { start: 0, len: 3 }, { start: -1, len: 1 }, { start: 2, len: null, end: 4 }, { start: 5, len: null }, { start: 0, len: 2 },
    ] } });
  });
  it('parses sets with ranges and not in, calls and bitwise and', () => {
    expect(parse('tcp.port not in {80, 443..445}').expr).toMatchObject({ k: 'in', negated: true, items: [{ lo: { text: '80' }, hi: null }, { lo: { text: '443' }, hi: { text: '445' } }] });
    expect(parse('len(tcp.payload) > 5').expr).toMatchObject({ k: 'cmp', op: '>', left: { k: 'call', name: 'len', args: [{ text: 'tcp.payload' }] } });
    expect(parse('tcp.flags & 0x12 == 0x12').expr).toMatchObject({ k: 'cmp', left: { k: 'bitand' } });
  });
  it('warns about whitespace-separated sets and xor, which Wireshark 4.0 does not take', () => {
    expect(parse('tcp.port in {80 443}').warnings[0]).toMatch(/commas/);
    expect(parse('a ^^ b').warnings[0]).toMatch(/xor/);
    expect(parse('tcp.port in {80, 443}').warnings).toEqual([]);
  });
});

describe('checkFilter and completeField (the filter bar)', () => {
  it('is green, red with the span, or yellow', () => {
    expect(checkFilter('eth.type == 0x0806')).toEqual({ state: 'valid' });
    expect(checkFilter('eth.typ == 1')).toEqual({ state: 'invalid', message: 'eth.typ is neither a field nor a protocol name.', start: 0, end: 7 });
    expect(checkFilter('frame.len in {60 70}')).toMatchObject({ state: 'deprecated' });
  });
  it('lists fields by prefix from the registry, protocol first, shallow names before deep ones', () => {
    const c = completeField('eth', 5);
    expect(c[0]).toEqual({ name: 'eth', label: 'Ethernet II', type: 'Protocol' });
    expect(c.length).toBe(5);
    expect(c.every((x) => x.name.startsWith('eth'))).toBe(true);
    expect(completeField('eth.s')).toContainEqual({ name: 'eth.src', label: 'Source', type: 'Ethernet or other MAC address' });
    expect(completeField('no.such.prefix')).toEqual([]);
  });
  it('reports the fields a filter reads as its interest, and nothing else', () => {
    const r = compileFilter('eth.src[0] == 2 || arp');
    if (!r.ok) throw new Error(r.message);
    const ids = [...r.filter.interest.keys()].filter((i) => r.filter.interest[i] === 1);
    expect(ids.length).toBe(2);
  });
});
