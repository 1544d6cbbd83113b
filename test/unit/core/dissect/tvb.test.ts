import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Engine } from '../../../../core/dissect/index.js';
import { CapturedBoundsError, FragmentBoundsError, ReportedBoundsError, Tvb } from '../../../../core/dissect/tvb.js';
import { fieldByName } from '../../../../core/fields/registry.js';
import { dissect, readPcap, tsharkFields } from './proto/tshark-compare.js';

const SAMPLE = new URL('../../../../assets/sample/lab-exchange.pcapng', import.meta.url).pathname;

describe('Tvb bounds errors', () => {
  // 6 bytes captured of 10 reported.
  const tvb = Tvb.of(new Uint8Array([1, 2, 3, 4, 5, 6]), 0, 10);

  it('names the three ways of reading past the end as tvbuff.c does', () => {
    expect(() => tvb.u32(4)).toThrow(CapturedBoundsError);
    expect(() => tvb.u32(8)).toThrow(ReportedBoundsError);
    expect(() => tvb.asFragment().u32(8)).toThrow(FragmentBoundsError);
    // Within the reported length a fragment was still cut by the capture, not by segmentation.
    expect(() => tvb.asFragment().u32(4)).toThrow(CapturedBoundsError);
    expect(tvb.asFragment().u16(0)).toBe(0x0102);
  });

  it('passes the fragment flag on to its subsets', () => {
    const sub = tvb.asFragment().sub(2, 3);
    expect(sub.fragment).toBe(true);
    expect(() => sub.u32(0)).toThrow(FragmentBoundsError);
    expect(tvb.sub(2, 3).fragment).toBe(false);
  });
});

describe('unreassembled fragments', () => {
  it('end a PDU cut by the segment as tshark -o tcp.desegment_tcp_streams:FALSE does', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nlT-tvb-'));
    try {
      // Frames 1-11 of the repo's sample: frame 11 starts the PNG response, whose body goes on in
      // later segments.
      const pcap = join(dir, 'sample-1-11.pcap');
      execFileSync('editcap', ['-F', 'pcap', '-r', SAMPLE, pcap, '1-11']);
      const recs = readPcap(pcap);
      const want = tsharkFields(pcap, ['_ws.col.Info', '_ws.unreassembled', '_ws.expert.message']);
      const e = new Engine();
      for (let i = 0; i < recs.length; i++) dissect(e, recs[i], i + 1, 'full');
      expect(want[10][0]).toBe('HTTP/1.1 200 OK  (PNG)[BoundErrorUnreassembled Packet]');
      expect(e.pinfo.info).toBe(want[10][0]);
      const t = e.tree;
      const u = t.find(fieldByName('_ws.unreassembled')!);
      expect(t.text[u]).toBe(want[10][1]);
      expect(t.text[u]).toBe('[BoundError Unreassembled Packet: PNG]');
      expect(want[10][2].endsWith('Unreassembled fragment (change preferences to enable reassembly)')).toBe(true);
      // With desegmentation (the default) the same segment is part of a reassembled response.
      const d = new Engine();
      for (let i = 0; i < recs.length; i++) dissect(d, recs[i], i + 1, 'full', false, new Map());
      expect(d.pinfo.info).not.toContain('BoundError');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
