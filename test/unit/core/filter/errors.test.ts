// Bad filters: each is rejected by tshark 4.0.17 with the message and caret recorded here (its
// stderr: "tshark: MESSAGE", the filter, then "^~~~" under the offending part; -1 where tshark
// shows no caret). We must reject the same inputs, with the same text, at the same place.

import { describe, expect, it } from 'vitest';
import { checkFilter, compileFilter } from '../../../../core/filter/index.js';
import '../../../../core/dissect/index.js';

const BAD: [string, string, number, number][] = [
  ['tcp.prot', 'tcp.prot is neither a field nor a protocol name.', 0, 8],
  ['frame.len ==', 'Unexpected end of filter expression.', -1, 0],
  ['frame.len == 86 &&', 'Unexpected end of filter expression.', -1, 0],
  ['(frame.len == 86', 'Unexpected end of filter expression.', -1, 0],
  ['frame.len == 86)', '")" was unexpected in this context.', 15, 1],
  ['frame.len > "abc"', 'Unsigned integer (4 bytes) cannot be converted from a string ("abc").', 12, 5],
  ['frame.len == "86"', 'Unsigned integer (4 bytes) cannot be converted from a string ("86").', 13, 4],
  ['frame.len == 99999999999', '"99999999999" too big for this field, maximum 4294967295.', 13, 11],
  ['frame.len == 1.5', '"1.5" is not a valid number.', 13, 3],
  ['frame.len contains 8', 'frame.len (type=Unsigned integer (4 bytes)) cannot participate in contains comparison.', 0, 9],
  ['frame contains "abc', 'The final quote was missing from a quoted string.', 19, 1],
  ['eth.src == 02000000b0001', '"02000000b0001" contains too many bytes to be a valid Ethernet address.', 11, 13],
  ['eth.src == frame.len', 'eth.src and frame.len are not of compatible types.', 11, 9],
  ['arp.src.proto_ipv4 == 198.18.0.256', '"198.18.0.256" is not a valid hostname or IPv4 address.', 22, 12],
  ['arp.src.proto_ipv4 == foo', '"foo" is not a valid hostname or IPv4 address.', 22, 3],
  ['arp.src.proto_ipv4 == "198.18.0.1"', 'IPv4 address cannot be converted from a string ("198.18.0.1").', 22, 12],
  ['arp.src.proto_ipv4 == 198.18.0.1/33', 'Netmask bits in a CIDR IPv4 address should be <= 32, not 33', 22, 13],
  ['frame.len[0] == 0', '"frame.len" is a Unsigned integer (4 bytes) and cannot be sliced into a sequence of bytes.', 0, 9],
  ['lower(frame.len) == 1', 'Only string type fields can be used as parameter for lower()', 6, 9],
  ['foo(frame.len)', "Function 'foo' does not exist", 0, 3],
  ['len(frame.len, 2)', 'You cannot test whether a function is present.', 0, 3],
  ['86', '86 is neither a field nor a protocol name.', 0, 2],
  ['"abc"', '"abc" is neither a field nor a protocol name.', 0, 5],
  ['eth.dst.ig == yes', '"yes" cannot be found among the possible values for eth.dst.ig.', 14, 3],
  ['frame.len in {86,}', '"}" was unexpected in this context.', 17, 1],
  ['frame.len in {}', '"}" was unexpected in this context.', 14, 1],
  ['frame.len in {"86"}', 'Unsigned integer (4 bytes) cannot be converted from a string ("86").', 14, 4],
  ['frame.time_delta < "1"', 'Time offset cannot be converted from a string ("1").', 19, 3],
  ['frame.protocols == eth', 'frame.protocols and eth are not of compatible types.', 19, 3],
  ['frame contains "\\."', '\\. is not a valid character escape sequence', 16, 2],
  ['frame.len eq', 'Unexpected end of filter expression.', -1, 0],
  ['== 1', '"==" was unexpected in this context.', 0, 2],
  ['frame.len = 1', '"=" was unexpected in this context.', 10, 1],
  ['frame.len === ', 'Unexpected end of filter expression.', -1, 0],
  ['and', '"and" was unexpected in this context.', 0, 3],
  ['frame.number == 1 or', 'Unexpected end of filter expression.', -1, 0],
  ['frame.len in 86', '"86" was unexpected in this context.', 13, 2],
  ['arp.opcode == bogus', '"bogus" cannot be found among the possible values for arp.opcode.', 14, 5],
  ['eth.src == ff:ff:ff:ff:ff', '"ff:ff:ff:ff:ff" contains too few bytes to be a valid Ethernet address.', 11, 14],
  ['len(frame.protocols[0:3]) == 3', 'Only fields can be used as parameter for len()', -1, 0],
  ['frame.len >> 2', '">" was unexpected in this context.', 11, 1],
  ['frame.len == 86 86', '"86" was unexpected in this context.', 16, 2],
  ['frame[0:] == ', 'Unexpected end of filter expression.', -1, 0],
];

describe('bad filters are rejected as tshark rejects them', () => {
  it.each(BAD)('%s', (text, message, start, len) => {
    const r = compileFilter(text);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.message).toBe(message);
    if (start >= 0) {
      expect(r.start).toBe(start);
      expect(r.end - r.start).toBe(len);
    } else {
      expect(r.start).toBeGreaterThanOrEqual(0);
      expect(r.end).toBeLessThanOrEqual(text.length);
    }
    const c = checkFilter(text);
    expect(c.state).toBe('invalid');
    expect(c.start).toBe(r.start);
  });

  // tshark rejects these in its scanner (it cuts "2:0:0:b:0:1" into "2:0:0:b:0" and ":1"); we
  // reject them when reading the value, with our own message.
  it.each([['eth.dst == 2:0:0:b:0:1', 'not a valid Ethernet address'], ['frame[0:3] == 1:2:3', 'not a valid byte string']])('%s', (text, msg) => {
    const r = compileFilter(text);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toContain(msg);
  });

  it('says the filter is empty, and is green for an empty bar', () => {
    expect(compileFilter('   ')).toMatchObject({ ok: false, message: 'The filter is empty.' });
    expect(checkFilter('')).toEqual({ state: 'valid' });
  });

  it('refuses look-around and backreferences in matches with a reason, not a hang', () => {
    for (const re of ['a(?=b)', '(a)\\\\1', 'a(?<!b)']) {
      const r = compileFilter(`frame matches "${re}"`);
      expect(r.ok, re).toBe(false);
      if (!r.ok) expect(r.message).toMatch(/RE2/);
    }
  });

  it('refuses arithmetic and field references, which this engine does not implement', () => {
    for (const f of ['frame.len == ${frame.cap_len}', 'frame.len == {frame.cap_len + 1}']) {
      const r = compileFilter(f);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.message).toMatch(/not supported/);
    }
  });
});
