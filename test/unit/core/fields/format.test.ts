// Labels and -T fields text, each expectation copied from tshark 4.0.17 output on captures made here
// (tshark -n -V / -T fields on a curl exchange across a veth pair; see test/support/lab-captures.ts).
import { describe, expect, it } from 'vitest';
import { Base, FT, defineFields, defineProtocol } from '../../../../core/fields/registry.js';
import {
  bitPattern, escapeFieldText, escapeLabelText, fieldValueText, formatAbsTime, formatDouble, formatEpochTime,
  formatFieldLabel, formatRelTime, itemFieldText, itemLabel,
} from '../../../../core/fields/format.js';
import { ItemFlags, ProtoTree, ROOT } from '../../../../core/dissect/tree.js';
import { Tvb } from '../../../../core/dissect/tvb.js';

const proto = defineProtocol('nldtest', 'NetLab Format Test', 'NLDTEST');
const hf = defineFields(proto, {
  type: { abbrev: 'nldtest.type', name: 'Type', type: FT.UINT16, base: Base.HEX, strings: { 0x0800: 'IPv4' } },
  proto: { abbrev: 'nldtest.proto', name: 'Protocol', type: FT.UINT8, base: Base.DEC, strings: { 6: 'TCP' } },
  version: { abbrev: 'nldtest.version', name: 'Version', type: FT.UINT8, base: Base.DEC, bitmask: 0xf0 },
  ipflags: { abbrev: 'nldtest.ipflags', name: 'Flags', type: FT.UINT8, base: Base.HEX, bitmask: 0xe0 },
  frag: { abbrev: 'nldtest.frag', name: 'Fragment Offset', type: FT.UINT16, base: Base.DEC, bitmask: 0x1fff },
  tcpflags: { abbrev: 'nldtest.tcpflags', name: 'Flags', type: FT.UINT16, base: Base.HEX, bitmask: 0x0fff },
  syn: { abbrev: 'nldtest.syn', name: 'Syn', type: FT.BOOLEAN, bitmask: 0x002, bitWidth: 12, tfs: ['Set', 'Not set'] },
  lg: { abbrev: 'nldtest.lg', name: 'LG bit', type: FT.BOOLEAN, bitmask: 0x020000, bitWidth: 24, tfs: ['Locally administered address (this is NOT the factory default)', 'Globally unique address (factory default)'] },
  status: { abbrev: 'nldtest.status', name: 'Checksum Status', type: FT.UINT8, base: Base.NONE, strings: { 2: 'Unverified' } },
  id: { abbrev: 'nldtest.id', name: 'Identification', type: FT.UINT16, base: Base.HEX_DEC },
  csum: { abbrev: 'nldtest.csum', name: 'Header Checksum', type: FT.UINT16, base: Base.HEX },
  flow: { abbrev: 'nldtest.flow', name: 'Flow Label', type: FT.UINT24, base: Base.HEX, bitmask: 0xfffff },
  marked: { abbrev: 'nldtest.marked', name: 'Frame is marked', type: FT.BOOLEAN },
  len: { abbrev: 'nldtest.len', name: 'Frame Length', type: FT.UINT32, base: Base.DEC, unit: ' bytes' },
  delta: { abbrev: 'nldtest.delta', name: 'Time delta from previous captured frame', type: FT.RELATIVE_TIME },
  epoch: { abbrev: 'nldtest.epoch', name: 'Epoch Time', type: FT.ABSOLUTE_TIME, base: Base.TIME_EPOCH },
  time: { abbrev: 'nldtest.time', name: 'Arrival Time', type: FT.ABSOLUTE_TIME, base: Base.TIME_UTC },
  line: { abbrev: 'nldtest.line', name: 'Request line', type: FT.STRING },
  opts: { abbrev: 'nldtest.opts', name: 'TCP Options', type: FT.BYTES },
  mac: { abbrev: 'nldtest.mac', name: 'Source', type: FT.ETHER },
  ip: { abbrev: 'nldtest.ip', name: 'Source Address', type: FT.IPv4 },
  none: { abbrev: 'nldtest.none', name: 'Expert', type: FT.NONE },
});

describe('labels (tshark -V)', () => {
  it('value strings, hex widths by type or by mask, bit patterns', () => {
    expect(formatFieldLabel(hf.type, 0x0800)).toBe('Type: IPv4 (0x0800)');
    expect(formatFieldLabel(hf.type, 0x1234)).toBe('Type: Unknown (0x1234)');
    expect(formatFieldLabel(hf.proto, 6)).toBe('Protocol: TCP (6)');
    expect(formatFieldLabel(hf.status, 2)).toBe('Checksum Status: Unverified');
    expect(fieldValueText(hf.status, 2)).toBe('2');
    expect(formatFieldLabel(hf.version, 4)).toBe('0100 .... = Version: 4');
    expect(formatFieldLabel(hf.ipflags, 2)).toBe('010. .... = Flags: 0x2');
    expect(formatFieldLabel(hf.frag, 0)).toBe('...0 0000 0000 0000 = Fragment Offset: 0');
    expect(formatFieldLabel(hf.tcpflags, 0x002)).toBe('.... 0000 0000 0010 = Flags: 0x002');
    expect(formatFieldLabel(hf.syn, true)).toBe('.... .... ..1. = Syn: Set');
    expect(formatFieldLabel(hf.syn, false)).toBe('.... .... ..0. = Syn: Not set');
    expect(formatFieldLabel(hf.lg, true)).toBe('.... ..1. .... .... .... .... = LG bit: Locally administered address (this is NOT the factory default)');
    expect(formatFieldLabel(hf.id, 0x3aa3)).toBe('Identification: 0x3aa3 (15011)');
    expect(formatFieldLabel(hf.csum, 0x73f1)).toBe('Header Checksum: 0x73f1');
    expect(formatFieldLabel(hf.marked, false)).toBe('Frame is marked: False');
    expect(formatFieldLabel(hf.len, 74)).toBe('Frame Length: 74 bytes');
  });

  it('times, strings, bytes and addresses', () => {
    expect(formatFieldLabel(hf.delta, 4000)).toBe('Time delta from previous captured frame: 0.000004000 seconds');
    expect(formatFieldLabel(hf.epoch, 1795598597124329000n)).toBe('Epoch Time: 1795598597.124329000 seconds');
    expect(formatFieldLabel(hf.time, 1795598597124329000n)).toBe('Arrival Time: Nov 25, 2026 09:23:17.124329000 UTC');
    expect(formatFieldLabel(hf.line, 'X-T: a\tb\x01c\xe9d"\\\r\n')).toBe('Request line: X-T: a\\tb\\001c\xe9d"\\\\r\\n');
    expect(formatFieldLabel(hf.opts, Uint8Array.of(2, 4, 5, 0xb4))).toBe('TCP Options: 020405b4');
    expect(formatFieldLabel(hf.opts, new Uint8Array(40).fill(0xab))).toBe(`TCP Options: ${'ab'.repeat(36)}…`);
    expect(formatFieldLabel(hf.mac, Uint8Array.of(0xfe, 0x27, 0x3e, 0xed, 0x18, 0x29))).toBe('Source: fe:27:3e:ed:18:29');
    expect(formatFieldLabel(hf.ip, 0xc6120002)).toBe('Source Address: 198.18.0.2');
  });

  it('tree items: generated in brackets, text and value overrides, appended text, bit prefix kept', () => {
    const tree = new ProtoTree();
    tree.reset('full');
    const tvb = Tvb.of(new Uint8Array(20));
    const top = tree.add(ROOT, proto, tvb, 0, 20, null);
    tree.setText(top, 'NetLab Format Test, Src: 1');
    const g = tree.addGenerated(top, hf.len, tvb, 74);
    const v = tree.add(top, hf.ipflags, tvb, 6, 1, 2);
    tree.appendText(v, ", Don't fragment");
    const vt = tree.add(top, hf.version, tvb, 0, 1, 4);
    tree.setValueText(vt, '20 bytes (5)');
    const h = tree.add(top, hf.proto, tvb, 9, 1, 6, ItemFlags.HIDDEN);
    expect(itemLabel(tree, top)).toBe('NetLab Format Test, Src: 1');
    expect(itemLabel(tree, g)).toBe('[Frame Length: 74 bytes]');
    expect(itemLabel(tree, v)).toBe("010. .... = Flags: 0x2, Don't fragment");
    expect(itemLabel(tree, vt)).toBe('0100 .... = Version: 20 bytes (5)');
    expect(itemLabel(tree, h)).toBe('Protocol: TCP (6)');
    expect(itemFieldText(tree, top)).toBe('NetLab Format Test, Src: 1');
  });

  it('bit patterns group by 4 from the left', () => {
    expect(bitPattern(0x40, 0xf0, 8)).toBe('0100 ....');
    expect(bitPattern(0, 0xe00, 12)).toBe('000. .... ....');
  });
});

describe('-T fields text', () => {
  it('raw numbers, hex padded to the type width, booleans 1/0, bytes bare hex', () => {
    expect(fieldValueText(hf.type, 0x0800)).toBe('0x0800');
    expect(fieldValueText(hf.proto, 6)).toBe('6');
    expect(fieldValueText(hf.ipflags, 2)).toBe('0x02');
    expect(fieldValueText(hf.tcpflags, 2)).toBe('0x0002');
    expect(fieldValueText(hf.flow, 0)).toBe('0x000000');
    expect(fieldValueText(hf.id, 0x3aa3)).toBe('0x3aa3');
    expect(fieldValueText(hf.syn, true)).toBe('1');
    expect(fieldValueText(hf.marked, false)).toBe('0');
    expect(fieldValueText(hf.len, 74)).toBe('74');
    expect(fieldValueText(hf.opts, Uint8Array.of(2, 4, 5, 0xb4))).toBe('020405b4');
    expect(fieldValueText(hf.none, null)).toBe('1');
  });

  it('times with 9 decimals; strings escape only CR, LF and TAB', () => {
    expect(fieldValueText(hf.delta, 370000)).toBe('0.000370000');
    expect(fieldValueText(hf.epoch, 1795598596465635000n)).toBe('1795598596.465635000');
    expect(formatAbsTime(1795598596465635000n - 1728000n * 1_000_000_000n, true)).toBe('Nov  5, 2026 09:23:16.465635000 UTC');
    expect(fieldValueText(hf.line, 'X-T: a\tb\x01c"\\\r\n')).toBe('X-T: a\\tb\x01c"\\\\r\\n');
    expect(escapeFieldText('plain')).toBe('plain');
    expect(escapeLabelText('a\x07\x0b\x7f')).toBe('a\\a\\v\\177');
  });

  it('relative and epoch times keep their sign; doubles print as %.15g', () => {
    expect(formatRelTime(-1_500_000_000)).toBe('-1.500000000');
    expect(formatRelTime(0)).toBe('0.000000000');
    expect(formatEpochTime(0n)).toBe('0.000000000');
    expect(formatDouble(0.1)).toBe('0.1');
    expect(formatDouble(1e20)).toBe('1e+20');
    expect(formatDouble(123.456)).toBe('123.456');
    expect(formatDouble(1 / 3)).toBe('0.333333333333333');
  });
});
