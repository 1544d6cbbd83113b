import { describe, expect, it } from 'vitest';
import { PcapReader, PcapWriter } from '../../../../core/capfile/pcap.js';
import type { PacketRecord } from '../../../../core/capfile/record.js';
import { concat, payload, pcapHeader, pcapRecord } from './bytes.js';

type Seen = Omit<PacketRecord, 'data'> & { data: number[] };

function read(bytes: Uint8Array, chunk = bytes.length || 1): { recs: Seen[]; reader: PcapReader } {
  const recs: Seen[] = [];
  const reader = new PcapReader((r) => recs.push({ ...r, data: Array.from(r.data) }));
  for (let i = 0; i < bytes.length; i += chunk) reader.push(bytes.subarray(i, i + chunk));
  reader.end();
  return { recs, reader };
}

describe('pcap reader', () => {
  it('reads little-endian microsecond files', () => {
    const file = concat(pcapHeader({ snap: 262144, link: 1 }), pcapRecord(1_600_000_000, 930_261, payload(60)), pcapRecord(1_600_000_001, 5, payload(74, 3)));
    const { recs, reader } = read(file);
    expect(reader.error).toBeNull();
    expect(reader.interfaces).toEqual([{ linkType: 1, snapLen: 262144, tsUnitsPerSec: 1e6, tsOffset: 0 }]);
    expect(recs).toHaveLength(2);
    expect(recs[0]).toMatchObject({ tsSec: 1_600_000_000, tsNsec: 930_261_000, capLen: 60, origLen: 60, interfaceId: 0, linkType: 1, fileOffset: 24 });
    expect(recs[0].data).toEqual(Array.from(payload(60)));
    expect(recs[1]).toMatchObject({ tsSec: 1_600_000_001, tsNsec: 5000, capLen: 74, fileOffset: 24 + 16 + 60 });
    expect(reader.bytesConsumed).toBe(file.length);
  });

  it('reads big-endian nanosecond files with a small snaplen', () => {
    const file = concat(pcapHeader({ le: false, nsec: true, snap: 96, link: 113 }), pcapRecord(1_700_000_000, 123_456_789, payload(96), 1514, false));
    const { recs, reader } = read(file);
    expect(reader.nanosecond).toBe(true);
    expect(reader.littleEndian).toBe(false);
    expect(recs[0]).toMatchObject({ tsSec: 1_700_000_000, tsNsec: 123_456_789, capLen: 96, origLen: 1514, linkType: 113 });
  });

  it('swaps incl_len and orig_len in pre-2.3 files (wiretap/libpcap.c)', () => {
    // Version 2.2 wrote orig_len first: a 40-byte capture of a 100-byte packet reads "100, 40".
    const h = pcapHeader({ minor: 2 });
    const rec = concat(Uint8Array.from([1, 0, 0, 0, 0, 0, 0, 0, 100, 0, 0, 0, 40, 0, 0, 0]), payload(40));
    const { recs } = read(concat(h, rec));
    expect(recs[0]).toMatchObject({ capLen: 40, origLen: 100 });
  });

  it('rejects a record longer than Wireshark allows, keeping the records before it', () => {
    const bad = new Uint8Array(16);
    new DataView(bad.buffer).setUint32(8, 0x80000000, true);
    const file = concat(pcapHeader(), pcapRecord(1, 0, payload(10)), bad);
    const { recs, reader } = read(file);
    expect(recs).toHaveLength(1);
    expect(reader.error?.code).toBe('ERR_BAD_RECORD');
    expect(reader.error?.message).toContain('pcap: File has 2147483648-byte packet, bigger than maximum of 262144');
    expect(reader.error?.offset).toBe(24 + 26);
  });

  it('rejects major version 1', () => {
    const { reader } = read(pcapHeader({ major: 1 }));
    expect(reader.error?.code).toBe('ERR_UNSUPPORTED');
  });

  it('gives the same records whatever the chunk size', () => {
    const file = concat(pcapHeader(), ...Array.from({ length: 20 }, (_, i) => pcapRecord(i, i * 1000, payload(i * 13, i))));
    const whole = read(file).recs;
    expect(whole).toHaveLength(20);
    for (const chunk of [1, 2, 3, 7, 16, 17, 100]) expect(read(file, chunk).recs).toEqual(whole);
  });

  it('reports a cut at every offset with the offset of the damaged record, never throwing', () => {
    const sizes = [0, 5, 60];
    const file = concat(pcapHeader(), ...sizes.map((n, i) => pcapRecord(i, 0, payload(n))));
    const starts = [24, 40, 61, 137]; // record boundaries (the last is the end of the file)
    for (let cut = 0; cut < file.length; cut++) {
      const { recs, reader } = read(file.subarray(0, cut), 5);
      const complete = starts.filter((s, i) => i > 0 && s <= cut).length;
      expect(recs.length, `cut at ${cut}`).toBe(complete);
      // A cut exactly between records leaves a valid (shorter) file.
      expect(reader.error === null, `cut at ${cut}`).toBe(cut >= 24 && starts.includes(cut));
      if (cut < 24) {
        expect(reader.error!.offset).toBe(0);
      } else if (!starts.includes(cut)) {
        expect(reader.error!.code).toBe('ERR_TRUNCATED');
        expect(reader.error!.message).toContain('cut short in the middle of a packet');
        expect(reader.error!.offset).toBe(starts[complete]);
      }
    }
    expect(read(file).reader.error).toBeNull();
  });
});

describe('pcap writer', () => {
  it('writes what the reader reads back, in microseconds and nanoseconds', () => {
    for (const nanosecond of [false, true]) {
      const w = new PcapWriter({ linkType: 1, nanosecond });
      const rec: PacketRecord = { tsSec: 1_764_000_000, tsNsec: 123_456_789, capLen: 3, origLen: 70, interfaceId: 0, linkType: 1, data: Uint8Array.of(1, 2, 3), fileOffset: 0 };
      const { recs, reader } = read(concat(w.header(), w.record(rec)));
      expect(reader.error).toBeNull();
      expect(reader.interfaces[0].snapLen).toBe(262144);
      expect(recs[0]).toMatchObject({ tsSec: 1_764_000_000, tsNsec: nanosecond ? 123_456_789 : 123_456_000, capLen: 3, origLen: 70, data: [1, 2, 3] });
    }
  });
});
