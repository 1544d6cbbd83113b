// Filter -> expected frames over the committed lab sample (assets/sample/lab-exchange.pcapng), in the
// style of Wireshark's test/suite_dfilter: every expectation below is what
// `tshark -n -o tcp.desegment_tcp_streams:FALSE -r lab-exchange.pcapng -Y FILTER` (4.0.17) printed.
// Only fields whose dissectors exist here (frame, eth, arp) and raw-byte tests are used, so the
// table holds whatever other layers do. Each filter also runs on a full tree, which must agree with
// the 'fields' tree built from the filter's interest (proves `interest` names every field read).

import { describe, expect, it } from 'vitest';
import { compileFilter } from '../../../../core/filter/index.js';
import { ProtoTree, ROOT, Tvb } from '../../../../core/dissect/index.js';
import { fieldByName } from '../../../../core/fields/registry.js';
import { SAMPLE, expand, framesMatching, loadRecords } from './helpers.js';

const TABLE: [string, string][] = [
  ['frame', '1-74'],
  ['eth', '1-74'],
  ['arp', '1-2'],
  ['!arp', '3-74'],
  ['not arp', '3-74'],
  ['arp.opcode == 1', '1'],
  ['arp.opcode == request', '1'],
  ['arp.opcode == 2 || frame.number == 1', '1-2'],
  ['arp.opcode eq 1 and frame.len == 42', '1'],
  ['frame.number <= 5', '1-5'],
  ['frame.number in {1, 3, 5}', '1,3,5'],
  ['frame.number in {1..3, 70..80}', '1-3,70-74'],
  ['frame.number not in {1..70}', '71-74'],
  ['!(frame.number in {1..70})', '71-74'],
  ['frame.number > 10 && frame.number < 14', '11-13'],
  ['frame.number ge 10 && frame.number le 12', '10-12'],
  ['frame.number gt 72', '73-74'],
  ['frame.number lt 3', '1-2'],
  ['frame.number ne 1', '2-74'],
  ['frame.number != 1 and frame.number <= 3', '2-3'],
  ['frame.number == 0x10', '16'],
  ['frame.number == 020', '16'],
  ['frame.number == 0b10000', '16'],
  ["frame.number == 'A'", '65'],
  ['frame.len == 74', '3-4,35-36,40-41'],
  ['frame.len & 0x40', '3-5,7,9,11-28,30-42,44,46-63,65,67-74'],
  ['frame.len & 0x40 == 0x40', '3-5,7,9,11-28,30-42,44,46-63,65,67-74'],
  ['frame.len bitwise_and 8', '1-4,6,8,11-15,18-22,24-28,35-36,40-41,43,45-50,53-57,59-63,66-67'],
  ['frame.cap_len == frame.len', '1-74'],
  ['frame.cap_len > frame.len', ''],
  ['frame.number == frame.len', ''],
  ['eth.addr == ff:ff:ff:ff:ff:ff', '1'],
  ['eth.dst == ff:ff:ff:ff:ff:ff', '1'],
  ['eth.dst == ffff.ffff.ffff', '1'],
  ['eth.dst == ff-ff-ff-ff-ff-ff', '1'],
  ['eth.dst == ffffffffffff', '1'],
  ['eth.src[0] == aa', '1,3,5-6,9-10,16-17,23,30-32,34-35,37-38,40,42,44-45,51-52,58,65-66,68-70,72,74'],
  ['eth.src[0:3] == aa:4e:76', '1,3,5-6,9-10,16-17,23,30-32,34-35,37-38,40,42,44-45,51-52,58,65-66,68-70,72,74'],
  ['eth.src[1-2] == 4e:76', '1,3,5-6,9-10,16-17,23,30-32,34-35,37-38,40,42,44-45,51-52,58,65-66,68-70,72,74'],
  ['eth.src[-1] == 9a', '1,3,5-6,9-10,16-17,23,30-32,34-35,37-38,40,42,44-45,51-52,58,65-66,68-70,72,74'],
  ['eth.src[-2:] == 51:9a', '1,3,5-6,9-10,16-17,23,30-32,34-35,37-38,40,42,44-45,51-52,58,65-66,68-70,72,74'],
  ['eth.src[:2] == aa:4e', '1,3,5-6,9-10,16-17,23,30-32,34-35,37-38,40,42,44-45,51-52,58,65-66,68-70,72,74'],
  ['eth.src[0,2] == aa:76', '1,3,5-6,9-10,16-17,23,30-32,34-35,37-38,40,42,44-45,51-52,58,65-66,68-70,72,74'],
  ['eth.src[3:] contains 56:51', '1,3,5-6,9-10,16-17,23,30-32,34-35,37-38,40,42,44-45,51-52,58,65-66,68-70,72,74'],
  ['eth.addr != ff:ff:ff:ff:ff:ff', '2-74'],
  ['eth.addr ~= ff:ff:ff:ff:ff:ff', '1-74'],
  ['eth.addr !== ff:ff:ff:ff:ff:ff', '1-74'],
  ['eth.addr === ff:ff:ff:ff:ff:ff', ''],
  ['eth.addr any_eq ff:ff:ff:ff:ff:ff', '1'],
  ['eth.addr all_ne ff:ff:ff:ff:ff:ff', '2-74'],
  ['eth.addr all_eq ff:ff:ff:ff:ff:ff', ''],
  ['eth.addr any_ne ff:ff:ff:ff:ff:ff', '1-74'],
  ['eth.src == eth.dst', ''],
  ['eth.ig == 1', '1'],
  ['eth.dst.ig', '1-74'],
  ['eth.dst.ig == 1', '1'],
  ['eth.dst.ig == True', '1'],
  ['eth.dst.lg == 0', ''],
  ['eth.type == 0x0806', '1-2'],
  ['eth.type == ARP', '1-2'],
  ['eth.type == 0x0800', '3-74'],
  ['eth.type in {0x0800, 0x0806}', '1-74'],
  ['eth.src > aa:00:00:00:00:00', '1,3,5-6,9-10,16-17,23,30-32,34-35,37-38,40,42,44-45,51-52,58,65-66,68-70,72,74'],
  ['frame contains "IHDR"', '11,46'],
  ['frame contains "GET /"', '6,10,38,45,66'],
  ['frame contains 49:48:44:52', '11,46'],
  ['frame contains "\\x49\\x48\\x44\\x52"', '11,46'],
  ['frame contains "\\111HDR"', '11,46'],
  ['frame matches "ihdr"', '11,46'],
  ['frame matches "(?-i)ihdr"', ''],
  ['frame matches "^\\xaa"', '2,4,7-8,11-15,18-22,24-29,33,36,39,41,43,46-50,53-57,59-64,67,71,73'],
  ['frame[0:6] == ff:ff:ff:ff:ff:ff', '1'],
  ['frame[12:2] == 08:06', '1-2'],
  ['frame[54:4] == "GET "', ''],
  ['frame[54:4] == 47:45:54:20', ''],
  ['frame[100:2]', '6,8,10-15,18-22,24-29,38,43,45-50,53-57,59-64,66-67'],
  ['frame[1000:1]', '11-15,18-22,24-28,46-50,53-57,59-63'],
  ['frame[-4:] == 00:00:00:00', ''],
  ['len(frame) > 1000', '11-15,18-22,24-28,46-50,53-57,59-63'],
  ['len(eth.src) == 6', '1-74'],
  ['len(eth) == 14', '1-74'],
  ['count(eth.addr) == 2', '1-74'],
  ['count(arp) == 1', '1-2'],
  ['count(eth.src) > 0', '1-74'],
  ['lower(frame.protocols) contains "arp"', '1-2'],
  ['upper(frame.protocols) contains "ARP"', '1-2'],
  ['frame.protocols contains "arp"', '1-2'],
  ['frame.protocols matches "arp$"', '1-2'],
  ['frame.protocols ~ "ARP$"', '1-2'],
  ['frame.time_relative < 0.001', '1-7'],
  ['frame.time_relative >= 0.5', '35-74'],
  ['frame.time_delta > 0.1', '35,69'],
  ['frame.interface_id == 0', '1-74'],
  ['(frame.number == 1 or frame.number == 2) and eth.dst == ff:ff:ff:ff:ff:ff', '1'],
  ['frame.number == 1 or frame.number == 2 and eth.dst == ff:ff:ff:ff:ff:ff', '1'],
  ['!(frame.number > 5) && !arp', '3-5'],
  ['not not arp', '1-2'],
  ['arp.src.proto_ipv4 == 198.18.0.2', '1'],
  ['arp.src.proto_ipv4 == 198.18.0.0/24', '1-2'],
  ['arp.dst.proto_ipv4 == 198.18.0.1/32', '1'],
  ['arp.src.proto_ipv4 in {198.18.0.1, 198.18.0.2}', '1-2'],
  ['arp.src.proto_ipv4 > 198.18.0.1', '1'],
  ['arp.src.hw_mac == aa:4e:76:56:51:9a', '1'],
  ['arp.src.proto_ipv4[3] == 2', '1'],
];

describe('display filters over the lab sample (expected frames from tshark 4.0.17)', () => {
  const recs = loadRecords(SAMPLE);
  it('has the 74 frames the table was made from', () => expect(recs.length).toBe(74));
  it.each(TABLE)('%s', (text, frames) => {
    const c = compileFilter(text);
    if (!c.ok) throw new Error(`${text}: ${c.message} at ${c.start}`);
    const want = expand(frames);
    expect(framesMatching(recs, c.filter, 'fields')).toEqual(want);
    expect(framesMatching(recs, c.filter, 'fields', false)).toEqual(want);
    expect(framesMatching(recs, c.filter, 'full')).toEqual(want);
  });

  it('answers `frame contains` from the raw bytes exactly as from the tree', () => {
    for (const text of ['frame contains "IHDR"', 'frame contains 47:45:54', 'frame']) {
      const c = compileFilter(text);
      if (!c.ok) throw new Error(c.message);
      const raw = c.filter.matchesRaw;
      expect(raw, text).not.toBeNull();
      const viaRaw = recs.flatMap((r, i) => (raw?.(r.data) ? [i + 1] : []));
      expect(viaRaw).toEqual(framesMatching(recs, c.filter));
    }
    // With other tests the bytes only rule frames out: every frame the filter matches passes them.
    for (const text of ['frame contains "IHDR" && eth', 'tcp.port == 85 and frame contains "HTTP"', '(frame contains "GET" || frame contains "HTTP") && tcp']) {
      const c = compileFilter(text);
      if (!c.ok) throw new Error(c.message);
      const raw = c.filter.matchesRaw;
      expect(raw, text).not.toBeNull();
      const matching = framesMatching(recs, c.filter);
      expect(matching.length, text).toBeGreaterThan(0);
      expect(matching.filter((n) => !raw?.(recs[n - 1].data)), text).toEqual([]);
      expect(recs.filter((r) => !raw?.(r.data)).length, `${text} rules frames out`).toBeGreaterThan(0);
    }
    for (const text of ['frame contains "IHDR" || eth', 'tcp', 'not frame contains "IHDR"']) {
      const c = compileFilter(text);
      expect(c.ok && c.filter.matchesRaw, text).toBe(null);
    }
  });
});

describe('relative times past 104 days', () => {
  // CaptureContext.exactDeltaNs gives a bigint past 2^53 ns (merged captures spanning years); the
  // corpus's frame.time_relative > 1 threw "Cannot mix BigInt and other types" before.
  const tree = new ProtoTree();
  const tvb = Tvb.of(new Uint8Array(4));
  const rel = fieldByName('frame.time_relative')!;
  const run = (text: string, value: number | bigint): boolean => {
    const c = compileFilter(text);
    if (!c.ok) throw new Error(c.message);
    tree.reset('full');
    tree.add(ROOT, rel, tvb, 0, 0, value);
    return c.filter.matches(tree);
  };
  const long = 4294901760_000128000n; // 2^32 - 65536 seconds and 128 us
  it('compares a bigint value with number and bigint constants', () => {
    expect(run('frame.time_relative > 1', long)).toBe(true);
    expect(run('frame.time_relative < 1', long)).toBe(false);
    expect(run('frame.time_relative == 4294901760.000128', long)).toBe(true);
    expect(run('frame.time_relative == 4294901760.000127', long)).toBe(false);
    expect(run('frame.time_relative in {1..4294901760.000128}', long)).toBe(true);
  });
  it('compares a number value with a bigint constant', () => {
    expect(run('frame.time_relative < 4294901760.000128', 1.5e9)).toBe(true);
    expect(run('frame.time_relative == 4294901760.000128', 1.5e9)).toBe(false);
    expect(run('frame.time_relative == 1.5', 1.5e9)).toBe(true);
  });
});

describe('filter passes that skip subtrees nobody reads (FieldGroup gates) agree with full trees', () => {
  const recs = loadRecords(SAMPLE);
  // Each filter reads one gated part (TCP options, Ethernet address bits, frame items, HTTP headers,
  // matching and experts) or only fields beside one, so the gate is both taken and not taken.
  it.each([
    'tcp.options.mss_val == 1460', 'tcp.option_kind == 8', 'tcp.options.timestamp.tsval > 0', 'tcp.options.sack_perm',
    'eth.src.ig == 0', 'eth.addr == ff:ff:ff:ff:ff:ff', 'frame.len > 1000', 'frame.interface_id == 0',
    'http.host', 'http.request.line contains "Host"', 'http.content_length > 100', 'http.response_in', 'http.time > 0',
    'http.chat', '_ws.expert.message contains "HTTP"', '_ws.expert.severity', 'data-text-lines', 'png',
    'tcp.port == 85 && http.response.code == 200', 'tcp.port == 85', 'tcp.srcport == 85 && !http',
  ])('%s', (text) => {
    const c = compileFilter(text);
    if (!c.ok) throw new Error(`${text}: ${c.message}`);
    const full = framesMatching(recs, c.filter, 'full');
    expect(framesMatching(recs, c.filter, 'fields', false)).toEqual(full);
    expect(framesMatching(recs, c.filter, 'fields')).toEqual(full);
  });
});
