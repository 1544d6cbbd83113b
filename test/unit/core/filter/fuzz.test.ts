// Fuzzing the filter compiler and evaluator: thousands of random and mutated filter strings (seeded,
// so a failure is reproducible from the printed seed and index) must each give a compiled filter or
// a clean error {message, start, end} — never an exception, never a hang — and compiled ones must
// evaluate on real packets without throwing. Each call is timed inside the loop against a bound.

import { describe, expect, it } from 'vitest';
import { LinkType, type PacketRecord } from '../../../../core/capfile/index.js';
import { Engine } from '../../../../core/dissect/index.js';
import { compileFilter } from '../../../../core/filter/index.js';
import { SAMPLE, loadRecords } from './helpers.js';

/** mulberry32: a tiny seeded PRNG. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SEEDS = [
  'ip.addr == 198.18.0.1 and (tcp.port in {85} or udp.port in {85})', 'http contains "1911406"', 'tcp.flags.syn == 1',
  'eth.src[0:3] == aa:4e:76', 'frame[54:4] == "GET "', 'frame matches "(?i)ihdr"', 'frame.len in {60..100, 1514}',
  'len(eth.src) == 6 && count(eth.addr) == 2', 'upper(frame.protocols) contains "ARP"', 'eth.addr != ff:ff:ff:ff:ff:ff',
  'arp.src.proto_ipv4 == 198.18.0.0/24', 'frame.time_relative >= 0.5', '!(frame.number > 5) && !arp', "frame.number == 'A'",
  'frame.len & 0x40 == 0x40', 'frame contains "\\x49\\x48\\x44\\x52"', 'eth.type in {0x0800 0x0806}', 'a ^^ b xor c',
];
const PIECES = [
  'frame', 'eth', 'arp', 'tcp', 'ip.addr', 'eth.src', 'frame.len', 'frame.number', 'eth.dst.ig', 'arp.opcode', 'frame.protocols',
  'frame.time_relative', 'arp.src.proto_ipv4', ' ', '==', '!=', '===', '!==', '~=', '<', '>', '<=', '>=', 'eq', 'ne', 'and', 'or',
  'not', 'xor', '&&', '||', '!', '^^', '&', 'contains', 'matches', '~', 'in', '{', '}', '(', ')', '[', ']', ',', '..', ':', '-',
  '"', "'", '\\', '"abc"', '"\\x41"', '"\\777"', '"\\u00e9"', 'r"\\d+"', "'a'", '0', '1', '-1', '0x10', '077', '0b11',
  '99999999999999999999', '1.5', 'aa:bb:cc', 'ff-ff', '198.18.0.1', '/24', '/33', '2001:db8::1', '::', 'len(', 'count(',
  'lower(', 'upper(', 'foo(', '$', '@', '#', '%', '*', '+', '"(a+)+$"', '"(?=a)"', 'true', 'False', '\u00e9', '\u0000', '\t',
];

const ALPHABET = ' !"#$%&\'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~\u00e9\u4e2d';

function randomFilter(rnd: () => number): string {
  const kind = rnd();
  if (kind < 0.2) {
    // Random characters.
    let s = '';
    const n = Math.floor(rnd() * 40);
    for (let i = 0; i < n; i++) s += ALPHABET[Math.floor(rnd() * ALPHABET.length)];
    return s;
  }
  if (kind < 0.4) {
    // Random token soup.
    const n = 1 + Math.floor(rnd() * 12);
    let s = '';
    for (let i = 0; i < n; i++) s += PIECES[Math.floor(rnd() * PIECES.length)] + (rnd() < 0.6 ? ' ' : '');
    return s;
  }
  // Mutations of valid filters.
  let s = SEEDS[Math.floor(rnd() * SEEDS.length)];
  const edits = 1 + Math.floor(rnd() * 2);
  for (let e = 0; e < edits; e++) {
    const at = Math.floor(rnd() * (s.length + 1));
    const op = rnd();
    if (op < 0.3) s = s.slice(0, at) + s.slice(at + 1 + Math.floor(rnd() * 3));
    else if (op < 0.6) s = s.slice(0, at) + PIECES[Math.floor(rnd() * PIECES.length)] + s.slice(at);
    else if (op < 0.8) s = s.slice(0, at) + ALPHABET[Math.floor(rnd() * ALPHABET.length)] + s.slice(at + 1);
    else s = s.slice(0, at) + s.slice(at, at + 1 + Math.floor(rnd() * 10)).repeat(2 + Math.floor(rnd() * 3)) + s.slice(at);
  }
  return s;
}

/** Generous per-call bounds (the machine is shared): a hang is minutes, a normal call well under a millisecond. */
const COMPILE_MS = 2000;
const EVAL_MS = 2000;

describe('filter fuzzing', () => {
  const recs = loadRecords(SAMPLE).slice(0, 12);
  const engine = new Engine();

  it('gives a filter or a clean error for 6000 random and mutated filters, each within its bound', () => {
    const seed = 0x5eed5;
    const rnd = prng(seed);
    let compiled = 0, rejected = 0;
    for (let n = 0; n < 6000; n++) {
      const text = randomFilter(rnd);
      const t0 = performance.now();
      let r: ReturnType<typeof compileFilter>;
      try {
        r = compileFilter(text);
      } catch (e) {
        throw new Error(`seed ${seed} #${n}: compileFilter threw on ${JSON.stringify(text)}: ${String(e)}`);
      }
      const dt = performance.now() - t0;
      expect(dt, `compile time of ${JSON.stringify(text)}`).toBeLessThan(COMPILE_MS);
      if (!r.ok) {
        rejected++;
        expect(r.message.length, JSON.stringify(text)).toBeGreaterThan(0);
        expect(r.message, JSON.stringify(text)).not.toMatch(/Internal error/);
        expect(r.start, JSON.stringify(text)).toBeGreaterThanOrEqual(0);
        expect(r.end, JSON.stringify(text)).toBeGreaterThanOrEqual(r.start);
        expect(r.end, JSON.stringify(text)).toBeLessThanOrEqual(text.length + 1);
        continue;
      }
      compiled++;
      const t1 = performance.now();
      recs.forEach((rec, i) => {
        engine.dissect(rec, i + 1, { tree: 'fields', interest: r.filter.interest, columns: false });
        try {
          r.filter.matches(engine.tree);
        } catch (e) {
          throw new Error(`seed ${seed} #${n}: evaluating ${JSON.stringify(text)} threw: ${String(e)}`);
        }
      });
      expect(performance.now() - t1, `evaluation time of ${JSON.stringify(text)}`).toBeLessThan(EVAL_MS);
    }
    // The generator must exercise both paths, or it proves nothing.
    expect(compiled).toBeGreaterThan(200);
    expect(rejected).toBeGreaterThan(300);
  }, 120_000);

  it('refuses hostile shapes quickly: deep nesting, operator chains, huge literals', () => {
    const cases = [
      '('.repeat(100_000) + 'frame' + ')'.repeat(100_000),
      '!'.repeat(100_000) + 'frame',
      Array.from({ length: 5000 }, () => 'frame').join(' or '),
      'frame.len == ' + '1'.repeat(60_000) + 'x',
      'frame.time_relative > ' + '1'.repeat(60_000) + '.x',
      'frame.len in {' + Array.from({ length: 5000 }, (_, i) => String(i)).join(',') + '}',
      'x'.repeat(70_000),
      'frame[' + '0:1,'.repeat(10_000) + '0]',
    ];
    for (const text of cases) {
      const t0 = performance.now();
      const r = compileFilter(text);
      expect(performance.now() - t0, text.slice(0, 40)).toBeLessThan(5000);
      if (r.ok) {
        for (let i = 0; i < recs.length; i++) {
          engine.dissect(recs[i], i + 1, { tree: 'fields', interest: r.filter.interest, columns: false });
          r.filter.matches(engine.tree);
        }
      } else {
        expect(r.message).not.toMatch(/Internal error/);
      }
    }
  }, 60_000);

  it('runs pathological regular expressions over long packets in linear time', () => {
    // One Ethernet frame of 64 KiB: 14 header bytes, then 'a' repeated, then one 'b'.
    const data = new Uint8Array(65_536).fill(0x61);
    data.set([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 0x88, 0xb5], 0);
    data[data.length - 1] = 0x62;
    const rec: PacketRecord = { tsSec: 1, tsNsec: 0, capLen: data.length, origLen: data.length, interfaceId: 0, linkType: LinkType.ETHERNET, data, fileOffset: 0 };
    const e = new Engine();
    for (const [text, want] of [['frame matches "(a+)+$"', false], ['frame matches "(a+)+b$"', true], ['frame matches "(a+)+c$"', false], ['frame matches "(a|aa)+b"', true], ['frame matches "^(a*)*$"', false], ['frame matches "(.*a){20}"', true]] as const) {
      const r = compileFilter(text);
      if (!r.ok) throw new Error(r.message);
      const t0 = performance.now();
      e.dissect(rec, 1, { tree: 'fields', interest: r.filter.interest, columns: false });
      expect(r.filter.matches(e.tree), text).toBe(want);
      expect(performance.now() - t0, text).toBeLessThan(2000);
    }
  });
});
