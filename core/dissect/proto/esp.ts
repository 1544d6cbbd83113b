// ESP (RFC 4303; Wireshark's packet-ipsec.c without decryption): SPI and sequence number, the rest is
// ciphertext. Registered on IP protocol 50 so that IPv4 and IPv6 both hand it on. Sequence number
// analysis is on by default in Wireshark (g_esp_do_sequence_analysis): per SPI, a number other than
// the previous one plus one is reported with the expected number and the previous frame.

import { Base, FT, defineFields, defineProtocol } from '../../fields/registry.js';
import { ExpertGroup, ExpertSeverity, type ExpertInfo, addExpert } from '../frame.js';
import { type Ctx, tables } from '../table.js';
import { ItemFlags, type Item } from '../tree.js';
import type { Tvb } from '../tvb.js';
import { inErrorPacket } from './ip.js';

export const proto_esp = defineProtocol('esp', 'Encapsulating Security Payload', 'ESP');

export const hf_esp = defineFields(proto_esp, {
  spi: { abbrev: 'esp.spi', name: 'ESP SPI', type: FT.UINT32, base: Base.HEX_DEC },
  sequence: { abbrev: 'esp.sequence', name: 'ESP Sequence', type: FT.UINT32, base: Base.DEC },
  expected_sn: { abbrev: 'esp.sequence-analysis.expected-sn', name: 'Expected SN', type: FT.UINT32, base: Base.DEC },
  previous_frame: { abbrev: 'esp.sequence-analysis.previous-frame', name: 'Previous Frame', type: FT.FRAMENUM },
  wrong_sn: { abbrev: 'esp.sequence-analysis.wrong-sequence-number', name: 'Wrong Sequence Number', type: FT.NONE },
});
const ei_esp_wrong_sn: ExpertInfo = { field: hf_esp.wrong_sn, severity: ExpertSeverity.WARN, group: ExpertGroup.SEQUENCE };

interface SpiStatus { previousSequenceNumber: number; previousFrameNum: number }

/** Per capture (packet-ipsec.c's two hash tables): the last number seen per SPI, and the frames found out of order. */
class EspSequences {
  readonly bySpi = new Map<number, SpiStatus>();
  readonly reports = new Map<number, SpiStatus>();
}

/** check_esp_sequence_info, first pass only: compares with the SPI's last number and adopts this one. */
function checkSequence(st: EspSequences, spi: number, seq: number, frame: number): void {
  const status = st.bySpi.get(spi);
  if (status === undefined) {
    st.bySpi.set(spi, { previousSequenceNumber: seq, previousFrameNum: frame });
    return;
  }
  if (seq !== ((status.previousSequenceNumber + 1) >>> 0)) st.reports.set(frame, { ...status });
  status.previousSequenceNumber = seq;
  status.previousFrameNum = frame;
}

/** show_esp_sequence_info: the expected number, the previous frame and the expert item, if this frame was out of order. */
function showSequence(ctx: Ctx, espTree: Item, tvb: Tvb, st: EspSequences, spi: number, seq: number): void {
  const status = st.reports.get(ctx.pinfo.num);
  if (status === undefined) return;
  const { tree } = ctx;
  const expected = (status.previousSequenceNumber + 1) >>> 0;
  const sn = tree.add(espTree, hf_esp.expected_sn, tvb, 0, 0, expected, ItemFlags.GENERATED);
  if (tree.full && seq > expected) tree.appendText(sn, ` (${seq - expected} SNs missing)`);
  tree.add(espTree, hf_esp.previous_frame, tvb, 0, 0, status.previousFrameNum, ItemFlags.GENERATED);
  const spiHex = spi.toString(16).padStart(8, '0');
  const msg = seq === status.previousSequenceNumber ? `Wrong Sequence Number for SPI ${spiHex} - ${seq} repeated`
    : seq > expected ? `Wrong Sequence Number for SPI ${spiHex} - ${seq - expected} missing`
      : `Wrong Sequence Number for SPI ${spiHex} - ${(expected - seq) >>> 0} less than expected`;
  // The expert hangs on the Expected SN item, which Wireshark places in the ESP tree, not under it.
  addExpert(ctx, sn, tvb, 0, 0, ei_esp_wrong_sn, msg);
}

export function dissectEsp(tvb: Tvb, ctx: Ctx, parent: Item): number {
  const { pinfo, tree } = ctx;
  pinfo.enter('esp', 'ESP');
  if (pinfo.columns && inErrorPacket.depth === 0) {
    pinfo.protocol = 'ESP';
    pinfo.clearInfo();
  }
  const it = tree.add(parent, proto_esp, tvb, 0, -1, null);
  const spi = tvb.u32(0);
  tree.add(it, hf_esp.spi, tvb, 0, 4, spi);
  const seq = tvb.u32(4);
  tree.add(it, hf_esp.sequence, tvb, 4, 4, seq);
  if (pinfo.columns && inErrorPacket.depth === 0) pinfo.setInfo(`ESP (SPI=0x${spi.toString(16).padStart(8, '0')})`);
  const st = ctx.capture.state('esp', () => new EspSequences());
  if (!pinfo.visited) checkSequence(st, spi, seq, pinfo.num);
  showSequence(ctx, it, tvb, st, spi, seq);
  return tvb.length;
}

tables.ipProto.add(50, dissectEsp);
