import { describe, expect, it } from 'vitest';
import { PcapngReader, PcapngWriter } from '../../../../core/capfile/pcapng.js';
import type { PacketRecord } from '../../../../core/capfile/record.js';
import { Bytes, block, concat, epb, idb, payload, pb, shb, spb, ts64 } from './bytes.js';

type Seen = Omit<PacketRecord, 'data'> & { data: number[] };

function read(bytes: Uint8Array, chunk = bytes.length || 1): { recs: Seen[]; reader: PcapngReader } {
  const recs: Seen[] = [];
  const reader = new PcapngReader((r) => recs.push({ ...r, data: Array.from(r.data) }));
  for (let i = 0; i < bytes.length; i += chunk) reader.push(bytes.subarray(i, i + chunk));
  reader.end();
  return { recs, reader };
}

const u64le = (hi: number, lo: number): Uint8Array => new Bytes(true).u64(hi, lo).bytes();
const u64be = (hi: number, lo: number): Uint8Array => new Bytes(false).u64(hi, lo).bytes();

/** Every block type the reader meets, in one section. */
function fullFile(le: boolean): Uint8Array {
  const us = ts64(1_340_954_905_298_858n); // microseconds (default if_tsresol)
  const ns = ts64(1_764_000_000_123_456_789n); // nanoseconds: beyond 2^53, must stay exact
  return concat(
    shb(le, [[1, 'section comment'], [2, 'x86_64'], [3, 'Linux 6.1'], [4, 'hand-made']]),
    idb(le, 1, 65535, [[2, 'eth0'], [3, 'first NIC'], [11, [0, ...new TextEncoder().encode('tcp port 85')]], [12, 'Debian 12']]),
    idb(le, 0, 262144, [[2, 'lo0'], [9, [9]]]),
    block(4, le, (b) => b.u16(1).u16(8).raw([10, 0, 0, 1]).raw(new TextEncoder().encode('host')).u16(0).u16(0)), // NRB
    epb(le, 0, us[0], us[1], payload(60), 60, [[1, 'first packet'], [1, 'second comment']]),
    block(0x0a, le, (b) => b.u32(0x544c534b).u32(4).raw([1, 2, 3, 4])), // DSB (TLS keys)
    epb(le, 1, ns[0], ns[1], payload(44, 2), 1000),
    block(0x00000bad, le, (b) => b.u32(32473).raw([1, 2, 3])), // custom block
    block(0x12345678, le, (b) => b.raw(payload(9))), // unknown block type
    spb(le, 1514, payload(100, 3)),
    pb(le, 0, us[0], us[1] + 1, payload(20, 4), [[1, 'obsolete']]),
    block(5, le, (b) => b.u32(0).u32(us[0]).u32(us[1]), [[4, le ? u64le(0, 9) : u64be(0, 9)]]), // ISB
  );
}

describe('pcapng reader', () => {
  for (const le of [true, false]) {
    it(`reads every block type (${le ? 'little' : 'big'}-endian)`, () => {
      const { recs, reader } = read(fullFile(le));
      expect(reader.error).toBeNull();
      expect(reader.sections).toHaveLength(1);
      expect(reader.sections[0]).toMatchObject({ littleEndian: le, versionMajor: 1, comments: ['section comment'], hardware: 'x86_64', os: 'Linux 6.1', userAppl: 'hand-made' });
      expect(reader.interfaces).toEqual([
        { linkType: 1, snapLen: 65535, name: 'eth0', description: 'first NIC', filter: 'tcp port 85', os: 'Debian 12', tsUnitsPerSec: 1e6, tsOffset: 0 },
        { linkType: 0, snapLen: 262144, name: 'lo0', tsUnitsPerSec: 1e9, tsOffset: 0 },
      ]);
      expect(recs.map((r) => [r.interfaceId, r.linkType, r.tsSec, r.tsNsec, r.capLen, r.origLen, r.comment])).toEqual([
        [0, 1, 1_340_954_905, 298_858_000, 60, 60, 'first packet\nsecond comment'],
        [1, 0, 1_764_000_000, 123_456_789, 44, 1000, undefined],
        // An SPB has no timestamp; its captured length is min(original, snaplen, room in the block).
        [0, 1, 0, 0, 100, 1514, undefined],
        [0, 1, 1_340_954_905, 298_859_000, 20, 20, 'obsolete'],
      ]);
      expect(recs[1].data).toEqual(Array.from(payload(44, 2)));
      expect(recs[2].data).toEqual(Array.from(payload(100, 3)));
    });
  }

  it('applies if_tsresol 2^-n and 10^-n, and if_tsoffset', () => {
    const le = true;
    const file = concat(
      shb(le),
      idb(le, 1, 0, [[9, [0x80 | 20]], [14, u64le(0, 100)]]), // 2^-20 s units, +100 s
      idb(le, 1, 0, [[9, [3]]]), // milliseconds
      idb(le, 1, 0, [[9, [0x80 | 30]]]), // 2^-30 s units
      epb(le, 0, ...ts64((1_700_000_000n << 20n) + 524_288n), payload(1)), // .5 s
      epb(le, 1, ...ts64(1_700_000_000_250n), payload(1)),
      epb(le, 2, ...ts64((1_700_000_000n << 30n) + 1n), payload(1)), // 1/2^30 s = 0.93 ns, truncated
      epb(le, 2, ...ts64((1_700_000_000n << 30n) + (1n << 29n) + 3n), payload(1)),
    );
    const { recs, reader } = read(file);
    expect(reader.error).toBeNull();
    expect(reader.interfaces.map((i) => [i.tsUnitsPerSec, i.tsOffset])).toEqual([[2 ** 20, 100], [1000, 0], [2 ** 30, 0]]);
    // Wireshark: nsecs = (ts % units) * 1e9 / units, integer division.
    expect(recs.map((r) => [r.tsSec, r.tsNsec])).toEqual([[1_700_000_100, 500_000_000], [1_700_000_000, 250_000_000], [1_700_000_000, 0], [1_700_000_000, 500_000_002]]);
  });

  it('keeps interfaces per section across several sections of both byte orders', () => {
    const file = concat(
      shb(true), idb(true, 1, 0, [[2, 'a']]), idb(true, 113, 0, [[2, 'b']]), epb(true, 1, 0, 1, payload(10)),
      shb(false, [[4, 'second']]), idb(false, 101, 0, [[2, 'c']]), epb(false, 0, 0, 2, payload(11)),
    );
    const { recs, reader } = read(file, 3);
    expect(reader.error).toBeNull();
    expect(reader.sections.map((s) => [s.littleEndian, s.firstInterface, s.userAppl])).toEqual([[true, 0, undefined], [false, 2, 'second']]);
    expect(recs.map((r) => [r.interfaceId, r.linkType, r.capLen])).toEqual([[1, 113, 10], [2, 101, 11]]);
  });

  it('reports a packet that names an interface the section lacks', () => {
    const file = concat(shb(true), idb(true, 1, 0), epb(true, 0, 0, 0, payload(4)), epb(true, 1, 0, 0, payload(4)));
    const { recs, reader } = read(file);
    expect(recs).toHaveLength(1);
    expect(reader.error).toMatchObject({ code: 'ERR_BAD_BLOCK', offset: file.length - 36 });
    expect(reader.error!.message).toContain('interface index 1');
  });

  it('stops cleanly on bad block lengths (0, not a multiple of 4, mismatched trailer, huge)', () => {
    const good = concat(shb(true), idb(true, 1, 0), epb(true, 0, 0, 0, payload(8)));
    const cases: [string, Uint8Array, string][] = [
      ['zero', new Bytes().u32(6).u32(0).u32(0).bytes(), 'ERR_BAD_BLOCK'],
      ['odd', new Bytes().u32(6).u32(13).u32(0).u32(0).bytes(), 'ERR_BAD_BLOCK'],
      ['huge', new Bytes().u32(6).u32(0x7ffffff0).u32(0).bytes(), 'ERR_BAD_RECORD'],
      ['trailer', new Bytes().u32(0x99).u32(16).u32(0).u32(20).bytes(), 'ERR_BAD_BLOCK'],
    ];
    for (const [name, bad, code] of cases) {
      const { recs, reader } = read(concat(good, bad, good.subarray(0, 0)));
      expect(recs, name).toHaveLength(1);
      expect(reader.error?.code, name).toBe(code);
      expect(reader.error?.offset, name).toBe(good.length);
    }
  });

  it('rejects a packet bigger than Wireshark allows for its link type', () => {
    const big = new Bytes().u32(6).u32(32 + 262148).u32(0).u32(0).u32(0).u32(262148).u32(262148).raw(new Uint8Array(262148)).u32(32 + 262148).bytes();
    const { reader } = read(concat(shb(true), idb(true, 1, 0), big));
    expect(reader.error?.code).toBe('ERR_BAD_RECORD');
    expect(reader.error?.message).toContain('bigger than maximum of 262144');
  });

  it('gives the same records whatever the chunk size, and data views stay valid until the next record', () => {
    const file = fullFile(true);
    const whole = read(file).recs;
    for (const chunk of [1, 2, 3, 5, 12, 13, 64]) expect(read(file, chunk).recs, `chunk ${chunk}`).toEqual(whole);
    // Hold the previous view while the next chunks arrive: it must not change before the next record.
    let prev: Uint8Array | null = null;
    let prevCopy: number[] = [];
    const reader = new PcapngReader((r) => {
      if (prev) expect(Array.from(prev)).toEqual(prevCopy);
      prev = r.data;
      prevCopy = Array.from(r.data);
    });
    for (let i = 0; i < file.length; i += 7) {
      reader.push(file.subarray(i, i + 7));
      if (prev) expect(Array.from(prev)).toEqual(prevCopy);
    }
    reader.end();
    expect(reader.error).toBeNull();
  });

  it('reports a cut at every offset without throwing', () => {
    const file = fullFile(false);
    const total = read(file).recs.length;
    for (let cut = 0; cut < file.length; cut++) {
      const { recs, reader } = read(file.subarray(0, cut), 11);
      expect(recs.length).toBeLessThanOrEqual(total);
      if (reader.error === null) continue; // a cut between blocks is a valid, shorter file
      expect(reader.error.offset).toBe(reader.bytesConsumed);
      expect(reader.error.offset).toBeLessThanOrEqual(cut);
      if (reader.bytesConsumed > 0) expect(reader.error.message).toContain('cut short in the middle of a packet');
    }
  });
});

describe('pcapng writer', () => {
  it('writes SHB, IDBs, EPBs with comments and an ISB that the reader reads back exactly', () => {
    const w = new PcapngWriter({ comment: 'lab 1' });
    const ifs = [
      { linkType: 1, snapLen: 262144, name: 'veth-a', description: 'lab veth', filter: 'tcp port 20080', tsUnitsPerSec: 1e9, tsOffset: 0 },
      { linkType: 276, snapLen: 65535, name: 'any', tsUnitsPerSec: 1e9, tsOffset: 0 },
    ];
    const r1: PacketRecord = { tsSec: 4_000_000_000, tsNsec: 999_999_999, capLen: 5, origLen: 5, interfaceId: 0, linkType: 1, data: payload(5), fileOffset: 0, comment: 'SYN 三次握手' };
    const r2: PacketRecord = { tsSec: 1_764_000_000, tsNsec: 1, capLen: 64, origLen: 1500, interfaceId: 1, linkType: 276, data: payload(64), fileOffset: 0 };
    const file = concat(w.header(ifs), w.record(r1), w.record(r2), w.stats(0, { received: 2, dropped: 0, endSec: 1_764_000_001, endNsec: 0 }, 1_764_000_001, 0));
    expect(file.length % 4).toBe(0);
    const { recs, reader } = read(file);
    expect(reader.error).toBeNull();
    expect(reader.sections[0]).toMatchObject({ userAppl: 'NetLab Workbench', comments: ['lab 1'] });
    expect(reader.interfaces).toEqual(ifs);
    expect(recs.map((r) => [r.tsSec, r.tsNsec, r.capLen, r.origLen, r.interfaceId, r.linkType, r.comment])).toEqual([
      [4_000_000_000, 999_999_999, 5, 5, 0, 1, 'SYN 三次握手'],
      [1_764_000_000, 1, 64, 1500, 1, 276, undefined],
    ]);
    expect(recs[1].data).toEqual(Array.from(payload(64)));
  });

  it('writes microsecond pcapng without if_tsresol when asked', () => {
    const w = new PcapngWriter({ nanosecond: false });
    const r: PacketRecord = { tsSec: 1_764_000_000, tsNsec: 123_456_789, capLen: 1, origLen: 1, interfaceId: 0, linkType: 1, data: payload(1), fileOffset: 0 };
    const { recs, reader } = read(concat(w.header([{ linkType: 1, snapLen: 0, tsUnitsPerSec: 1e6, tsOffset: 0 }]), w.record(r)));
    expect(reader.interfaces[0].tsUnitsPerSec).toBe(1e6);
    expect(recs[0]).toMatchObject({ tsSec: 1_764_000_000, tsNsec: 123_456_000 });
  });
});
