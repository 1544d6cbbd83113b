// TCP SEQ/ACK analysis and reassembly against tshark 4.0.17 with its default preferences, on captures
// made in our own network namespaces (see captures.ts): the MTU-576 lab (keep-alive, chunked, gzip,
// HEAD, 304, close-delimited, pipelined, reset, refused), a lossy link (real tail drops: retransmissions,
// fast retransmissions, dup ACKs, lost segments) and the same with reordering.
import { describe, expect, it } from 'vitest';
import { capturePath, type CaptureKind } from './captures.js';
import { brief, compareCapture } from './compare.js';

export const TCP_FIELDS_ALL = [
  'tcp.stream', 'tcp.completeness', 'tcp.len', 'tcp.seq', 'tcp.seq_raw', 'tcp.nxtseq', 'tcp.ack', 'tcp.ack_raw', 'tcp.flags',
  'tcp.window_size', 'tcp.window_size_scalefactor', 'tcp.time_relative', 'tcp.time_delta', 'tcp.payload',
  'tcp.analysis', 'tcp.analysis.flags', 'tcp.analysis.acks_frame', 'tcp.analysis.ack_rtt', 'tcp.analysis.initial_rtt',
  'tcp.analysis.bytes_in_flight', 'tcp.analysis.push_bytes_sent', 'tcp.analysis.retransmission',
  'tcp.analysis.fast_retransmission', 'tcp.analysis.spurious_retransmission', 'tcp.analysis.out_of_order',
  'tcp.analysis.lost_segment', 'tcp.analysis.ack_lost_segment', 'tcp.analysis.window_update', 'tcp.analysis.window_full',
  'tcp.analysis.keep_alive', 'tcp.analysis.keep_alive_ack', 'tcp.analysis.duplicate_ack', 'tcp.analysis.duplicate_ack_num',
  'tcp.analysis.duplicate_ack_frame', 'tcp.analysis.zero_window', 'tcp.analysis.reused_ports', 'tcp.analysis.rto',
  'tcp.analysis.rto_frame', 'tcp.segment_data', 'tcp.segment', 'tcp.segment.count', 'tcp.reassembled.length',
  'tcp.reassembled.data', 'tcp.reassembled_in', '_ws.col.Protocol', '_ws.col.Info',
];

const TCP_FIELDS = process.env.NLI_FIELDS ? process.env.NLI_FIELDS.split(',') : TCP_FIELDS_ALL;
const KINDS: CaptureKind[] = ['lab', 'lossy', 'reordered'];

describe.each(KINDS)('TCP analysis and reassembly vs tshark -n (%s capture)', (kind) => {
  it('gives every TCP analysis field and the Info column as tshark does in one pass', () => {
    const r = compareCapture(capturePath(kind), TCP_FIELDS);
    expect(brief(r.mismatches)).toEqual([]);
    expect(r.compared).toBeGreaterThan(r.frames * 10);
  });
  it('gives the same fields as tshark -2 when every frame is dissected again (the UI)', () => {
    const r = compareCapture(capturePath(kind), TCP_FIELDS, true);
    expect(brief(r.mismatches)).toEqual([]);
  });
});
