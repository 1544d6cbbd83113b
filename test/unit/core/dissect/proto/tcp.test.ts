import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Engine, PacketInfo } from '../../../../../core/dissect/index.js';
import { fieldByName } from '../../../../../core/fields/registry.js';
import { dissect, ourFields, readPcap, tsharkFields } from './tshark-compare.js';
import { LINK_ETHERNET, LINK_RAW, compareHexFrames } from './corpus-frames.js';

// test/fixtures/tcp-http/lab-576.pcap: see its README (curl <-> Node server over a 576-byte-MTU veth
// pair, port 85 and 22080, keep-alive, a refused connection). tshark options: see TSHARK_OPTS.
const LAB = new URL('../../../../fixtures/tcp-http/lab-576.pcap', import.meta.url).pathname;

const TCP_FIELDS = [
  'tcp.srcport', 'tcp.dstport', 'tcp.port', 'tcp.stream', 'tcp.len', 'tcp.seq', 'tcp.seq_raw', 'tcp.nxtseq',
  'tcp.ack', 'tcp.ack_raw', 'tcp.hdr_len', 'tcp.flags', 'tcp.flags.res', 'tcp.flags.ae', 'tcp.flags.cwr',
  'tcp.flags.ece', 'tcp.flags.urg', 'tcp.flags.ack', 'tcp.flags.push', 'tcp.flags.reset', 'tcp.flags.syn',
  'tcp.flags.fin', 'tcp.flags.str', 'tcp.window_size_value', 'tcp.window_size', 'tcp.window_size_scalefactor',
  'tcp.checksum', 'tcp.checksum.status', 'tcp.urgent_pointer', 'tcp.options', 'tcp.option_kind', 'tcp.option_len',
  'tcp.options.mss_val', 'tcp.options.wscale.shift', 'tcp.options.wscale.multiplier', 'tcp.options.sack_le',
  'tcp.options.sack_re', 'tcp.options.sack.count', 'tcp.options.timestamp.tsval', 'tcp.options.timestamp.tsecr',
  'tcp.options.unknown.payload', 'tcp.time_relative', 'tcp.time_delta', 'tcp.payload',
];

function compareAll(pcap: string, fields: string[], skipInfo: (tsharkInfo: string) => boolean = (s) => s.includes('[TCP ')) {
  const recs = readPcap(pcap);
  const want = tsharkFields(pcap, [...fields, '_ws.col.Info']);
  expect(want.length).toBe(recs.length);
  const e = new Engine();
  let compared = 0;
  for (let i = 0; i < recs.length; i++) {
    dissect(e, recs[i], i + 1, 'full');
    const got = ourFields(e, [...fields, '_ws.col.Info']);
    const exp = want[i];
    if (skipInfo(exp[exp.length - 1])) { got.pop(); exp.pop(); }
    expect({ frame: i + 1, fields: got }).toEqual({ frame: i + 1, fields: exp });
    compared += got.filter((v) => v !== '').length;
  }
  return compared;
}

describe('tcp', () => {
  it('matches tshark on every TCP field and the Info column of the lab capture', () => {
    const n = compareAll(LAB, TCP_FIELDS, (info) => info.includes('[TCP ') || !/\u2192/.test(info));
    expect(n).toBeGreaterThan(46 * 30);
  });

  it('gives byte ranges and labels of the SYN as Wireshark does', () => {
    const recs = readPcap(LAB);
    const e = new Engine();
    dissect(e, recs[0], 1, 'full');
    const t = e.tree;
    const at = (name: string) => {
      const i = t.find(fieldByName(name)!);
      return [t.start[i], t.length[i]];
    };
    expect(at('tcp.srcport')).toEqual([34, 2]);
    expect(at('tcp.seq')).toEqual([38, 4]);
    expect(at('tcp.flags')).toEqual([46, 2]);
    expect(at('tcp.flags.syn')).toEqual([47, 1]);
    expect(at('tcp.flags.res')).toEqual([46, 1]);
    expect(at('tcp.options')).toEqual([54, 20]);
    expect(at('tcp.options.wscale')).toEqual([71, 3]);
    expect(at('tcp.window_size')).toEqual([48, 2]);
    const opts = t.find(fieldByName('tcp.options')!);
    expect(t.text[opts]).toBe('Options: (20 bytes), Maximum segment size, SACK permitted, Timestamps, No-Operation (NOP), Window scale');
    expect(t.text[t.find(fieldByName('tcp.options.wscale')!)]).toBe('TCP Option - Window scale: 10 (multiply by 1024)');
    expect(t.text[t.find(fieldByName('tcp')!)]).toBe('Transmission Control Protocol, Src Port: ' + t.value[t.find(fieldByName('tcp.srcport')!)] + ', Dst Port: 85, Seq: 0, Len: 0');
    expect(e.pinfo.info).toMatch(/^\d+ \u2192 85 \[SYN\] Seq=0 Win=65392 Len=0 MSS=536 SACK_PERM TSval=\d+ TSecr=0 WS=1024$/);
    // The SYN shows no scaling factor (RFC 7323: a SYN's window is never scaled).
    expect(t.find(fieldByName('tcp.window_size_scalefactor')!)).toBe(-1);
  });

  it('re-dissects frames out of order with the first pass results', () => {
    const recs = readPcap(LAB);
    const e = new Engine();
    const first: string[][] = [];
    for (let i = 0; i < recs.length; i++) {
      dissect(e, recs[i], i + 1, 'full');
      first.push(ourFields(e, [...TCP_FIELDS, '_ws.col.Info']));
    }
    for (const i of [45, 0, 30, 2, 17, 1]) {
      dissect(e, recs[i], i + 1, 'full', true);
      expect(ourFields(e, [...TCP_FIELDS, '_ws.col.Info'])).toEqual(first[i]);
    }
  });

  it('matches tshark on crafted flags, URG, SACK, EOL padding, unknown options and port reuse', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nlC-tcp-'));
    try {
      const pcap = join(dir, 'craft.pcap');
      writeFileSync(pcap, craftedPcap());
      const n = compareAll(pcap, TCP_FIELDS, (info) => info.includes('[TCP ') || info.includes('ExID'));
      expect(n).toBeGreaterThan(100);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('gives summary passes (no tree, Info formatted only when read) the Info and Protocol of a full dissection', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nlC-tcp-'));
    try {
      const pcap = join(dir, 'craft.pcap');
      writeFileSync(pcap, craftedPcap());
      let tcpInfos = 0, replaced = 0;
      for (const file of [LAB, pcap]) {
        const recs = readPcap(file);
        const full = new Engine(), none = new Engine(), ahead = new Engine();
        for (let i = 0; i < recs.length; i++) {
          dissect(full, recs[i], i + 1, 'full');
          const fullInfo = full.pinfo.info;
          dissect(none, recs[i], i + 1, 'none');
          // Another engine's packet in between must not change this one's (still unformatted) Info.
          if (i === 0) dissect(ahead, recs[0], 1, 'none');
          if (i + 1 < recs.length) dissect(ahead, recs[i + 1], i + 2, 'none');
          expect({ frame: i + 1, protocol: none.pinfo.protocol, info: none.pinfo.info }).toEqual({ frame: i + 1, protocol: full.pinfo.protocol, info: fullInfo });
          if (/Seq=\d+/.test(full.pinfo.info)) tcpInfos++;
          else if (full.pinfo.tcpStream >= 0) replaced++;
        }
      }
      // Both kinds occur: TCP's own Info (options, SACK edges, analysis markers) and HTTP's in its place.
      expect(tcpInfos).toBeGreaterThan(40);
      expect(replaced).toBeGreaterThan(5);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("records in 'fields' passes exactly the wanted items of the full tree, in tree order, with their parents", () => {
    const dir = mkdtempSync(join(tmpdir(), 'nlC-tcp-'));
    try {
      const pcap = join(dir, 'craft.pcap');
      writeFileSync(pcap, craftedPcap());
      const names = ['tcp', 'tcp.port', 'tcp.seq', 'tcp.flags.syn', 'tcp.flags.str', 'tcp.options.timestamp.tsval', 'tcp.options.sack_le', 'tcp.option_kind',
        'tcp.analysis.bytes_in_flight', 'tcp.analysis.flags', 'tcp.time_delta', 'tcp.connection.fin_active', '_ws.expert.message', 'http.response.code'];
      const sets = [names, ['tcp.port', 'http.response.code'], ['tcp.options.sack_le', '_ws.expert.message'], ['tcp.time_relative'], ['tcp.flags.str', 'tcp.stream']];
      const items = (e: Engine, want: Uint8Array) => {
        const t = e.tree, order = t.treeOrder();
        const out: string[] = [];
        for (let k = 0; k < t.count; k++) {
          const i = order === null ? k : order[k];
          if (want[t.field[i]] !== 1) continue;
          const p = t.parent[i];
          out.push(`${t.field[i]}=${String(t.value[i])}@${t.start[i]}+${t.length[i]} under ${p < 0 ? 'root' : t.field[p]}`);
        }
        return out;
      };
      let compared = 0;
      for (const set of sets) {
        const interest = new Uint8Array(1 << 16);
        for (const n of set) interest[fieldByName(n)!.id] = 1;
        // The full tree's items under the nearest wanted ancestor, as 'fields' mode records them.
        for (const file of [LAB, pcap]) {
          const recs = readPcap(file);
          const full = new Engine(), fields = new Engine();
          for (let i = 0; i < recs.length; i++) {
            full.dissect(recs[i], i + 1, { tree: 'full', columns: true });
            fields.dissect(recs[i], i + 1, { tree: 'fields', interest, columns: true });
            const f = full.tree;
            const want: string[] = [];
            const order = f.treeOrder();
            for (let k = 0; k < f.count; k++) {
              const j = order === null ? k : order[k];
              if (interest[f.field[j]] !== 1) continue;
              let p = f.parent[j];
              while (p >= 0 && interest[f.field[p]] !== 1) p = f.parent[p];
              want.push(`${f.field[j]}=${String(f.value[j])}@${f.start[j]}+${f.length[j]} under ${p < 0 ? 'root' : f.field[p]}`);
            }
            expect({ frame: i + 1, items: items(fields, interest) }).toEqual({ frame: i + 1, items: want });
            expect(fields.pinfo.info).toBe(full.pinfo.info);
            compared += want.length;
          }
        }
      }
      expect(compared).toBeGreaterThan(500);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('formats lazy Info text only where the column still shows it (PacketInfo.setInfoLazy)', () => {
    const p = new PacketInfo();
    let built = 0;
    const lazy = { text: () => { built++; return 'lazy'; } };
    p.reset(1, 0, 0, 0, 0, 1, 0, false, true);
    p.setInfoLazy(lazy);
    p.setInfo('replaced');
    expect(p.info).toBe('replaced');
    expect(built).toBe(0);
    p.setInfoLazy(lazy);
    p.appendInfo(' after');
    expect(p.info).toBe('lazy after');
    p.reset(2, 0, 0, 0, 0, 1, 0, false, true);
    p.prependInfoFence('[mark] ');
    p.setInfoLazy(lazy);
    p.setFence();
    p.setInfo('next');
    expect(p.info).toBe('[mark] lazynext');
    p.reset(3, 0, 0, 0, 0, 1, 0, false, true);
    p.setInfoLazy(lazy);
    p.clearInfo();
    expect(p.info).toBe('');
    expect(built).toBe(2);
  });
});

/** Hand-made segments between 198.18.22.2:40000 and 198.18.22.1:22001, both directions. */
function craftedPcap(): Buffer {
  const A = [198, 18, 22, 2], B = [198, 18, 22, 1];
  const seg = (src: number[], dst: number[], sport: number, dport: number, seq: number, ack: number, flags: number, win: number, urg: number, opts: string, payload = '') => {
    const o = Buffer.from(opts, 'hex'), p = Buffer.from(payload, 'latin1');
    const tcp = Buffer.alloc(20);
    tcp.writeUInt16BE(sport, 0); tcp.writeUInt16BE(dport, 2); tcp.writeUInt32BE(seq >>> 0, 4); tcp.writeUInt32BE(ack >>> 0, 8);
    tcp.writeUInt16BE((((20 + o.length) / 4) << 12) | flags, 12); tcp.writeUInt16BE(win, 14); tcp.writeUInt16BE(0x1234, 16); tcp.writeUInt16BE(urg, 18);
    const ip = Buffer.from([0x45, 0, 0, 0, 0, 1, 0, 0, 64, 6, 0, 0, ...src, ...dst]);
    ip.writeUInt16BE(20 + 20 + o.length + p.length, 2);
    return Buffer.concat([Buffer.from('020000000001020000000002' + '0800', 'hex'), ip, tcp, o, p]);
  };
  const pkts = [
    seg(A, B, 40000, 22001, 1000, 0, 0x002, 1000, 0, '020405b4' + '01030302' + '0402' + '0000'),
    seg(B, A, 22001, 40000, 5000, 1001, 0x012, 2000, 0, '020405b4' + '0402' + '0000'),
    seg(A, B, 40000, 22001, 1001, 5001, 0x010, 3000, 0, ''),
    seg(A, B, 40000, 22001, 1001, 5001, 0x038, 3000, 3, '0101050a000013890000138d', 'hello'),
    seg(B, A, 22001, 40000, 5001, 1006, 0x010, 500, 0, '4b04aabb'),
    seg(A, B, 40000, 22001, 1006, 5001, 0x0d9, 3000, 0, ''),
    seg(A, B, 40000, 22001, 1007, 5001, 0x100, 3000, 0, ''),
    seg(B, A, 22001, 40000, 5001, 1007, 0x014, 0, 0, ''),
    seg(A, B, 40000, 22001, 777777, 0, 0x002, 1000, 0, '020405b4'),
    seg(B, A, 22001, 40000, 999999, 777778, 0x012, 2000, 0, '020405b401030307'),
    seg(A, B, 40000, 22001, 777778, 1000000, 0xe10, 100, 0, ''),
  ];
  const head = Buffer.alloc(24);
  head.writeUInt32LE(0xa1b2c3d4, 0); head.writeUInt16LE(2, 4); head.writeUInt16LE(4, 6); head.writeUInt32LE(65535, 16); head.writeUInt32LE(1, 20);
  const parts = [head];
  pkts.forEach((p, i) => {
    const h = Buffer.alloc(16);
    h.writeUInt32LE(1_600_000_000 + i, 0); h.writeUInt32LE(i * 1000, 4); h.writeUInt32LE(p.length, 8); h.writeUInt32LE(p.length, 12);
    parts.push(h, p);
  });
  return Buffer.concat(parts);
}

/**
 * Frames of the public malformed/odd corpus (../shared/corpus/tcpdump-tests, merged by
 * test/integration/read-vs-tshark.test.ts), copied from `tshark -x`: [corpus frame, hex, on-wire length].
 */
const CORPUS_ETH: [number, string, number][] = [
  // IPv4, TCP header length 60 with only 10 option bytes captured: unknown option 48 (length 40) cut.
  [6056, '30303030303030303030303008004530303030304000300630303030303030303030303030303030303030303030fd3030303030303030283030303030303030', 262144],
  // IPv4, TCP cut after the ports.
  [9000, '30303030303030303030303008004530303030300000300630303030303030303030303030303030303030303030', 262144],
  // Unknown option 161, EOL, then non-zero bytes: "Non-zero header padding".
  [4751, 'd40cfb007f0801c5c00080a50800450c0205530f8000fe068e15f1005d14fff7000100b300c87ff3eb890001808e6000dada10d42d9da102000affffffffffffffffffffffffffffffff002d02000310ff7bc3b2ff80000700000094460e47000105000001000000f3010202020202020200fe068e15f1005d14000000', 262144],
];
// Raw IPv6 (LINKTYPE_IPV6), TCP header length 28 with 4 option bytes captured: EOL then '0' bytes.
const CORPUS_IPV6: [number, string, number][] = [
  [4385, '6c3030303030063030303030303030303030303030303030303030303030303030303030303030302830303030303030303030307f3030303030303000303030', 262144],
];

function corpusPcap(linkType: number, frames: [number, string, number][]): Buffer {
  const head = Buffer.alloc(24);
  head.writeUInt32LE(0xa1b2c3d4, 0); head.writeUInt16LE(2, 4); head.writeUInt16LE(4, 6); head.writeUInt32LE(262144, 16); head.writeUInt32LE(linkType, 20);
  const parts = [head];
  frames.forEach(([, hex, orig], i) => {
    const p = Buffer.from(hex, 'hex');
    const h = Buffer.alloc(16);
    h.writeUInt32LE(1_600_000_000 + i, 0); h.writeUInt32LE(p.length, 8); h.writeUInt32LE(orig, 12);
    parts.push(h, p);
  });
  return Buffer.concat(parts);
}

describe('tcp on corpus frames', () => {
  const FIELDS = [...TCP_FIELDS, 'tcp.options.eol', 'tcp.options.unknown', 'tcp.non_zero_bytes_after_eol', 'tcp.ack.nonzero', 'tcp.urgent_pointer.non_zero', 'tcp.completeness'];

  it('warns at the fourth NOP in a word and notes a SYN without MSS, as tshark does', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nlT-tcp-'));
    try {
      const pcap = join(dir, 'corpus-nop.pcap');
      writeFileSync(pcap, corpusPcap(1, [
        // Corpus frame 8884: twelve NOPs (one warning: the count restarts on each word boundary).
        [8884, '8c85903f77ddd4ca6d2e7f67080045480034e1f0400036062b17df8435deca6c57a50016f2c29257ab47f351f16e801000e32c320000010101010101010101010101', 66],
        // Corpus frame 9006: a SYN whose only option is a TCP Fast Open cookie request.
        [9006, '1c7ee54ca1cbb0750c00000108004500002c00060000ff06f4b3c0a800640303030332f732fe0d05af640000000060020578b9660000fe04f989', 58],
      ]));
      const want = tsharkFields(pcap, ['_ws.expert.message', 'tcp.nop', 'tcp.options.mss.absent']);
      expect(want.map((w) => w[0])).toEqual([
        '4 NOP in a row - a router may have removed some options',
        'Connection establish request (SYN): server port 13054,The SYN packet does not contain a MSS option',
      ]);
      const recs = readPcap(pcap);
      const e = new Engine();
      recs.forEach((r, i) => {
        dissect(e, r, i + 1, 'full');
        expect(ourFields(e, ['_ws.expert.message', 'tcp.nop', 'tcp.options.mss.absent'])).toEqual(want[i]);
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('dissects a header cut by the capture as far as its bytes go, then stops as tshark does', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nlT-tcp-'));
    try {
      for (const [lt, frames] of [[1, CORPUS_ETH], [229, CORPUS_IPV6]] as const) {
        const pcap = join(dir, `corpus-${lt}.pcap`);
        writeFileSync(pcap, corpusPcap(lt, frames));
        // Frame 4751's Info is BGP's (not dissected here); the others end in TCP's.
        compareAll(pcap, FIELDS, (info) => !info.includes('\u2192'));
      }
      const recs = readPcap(join(dir, 'corpus-229.pcap'));
      const e = new Engine();
      dissect(e, recs[0], 1, 'full');
      // What tshark 4.0.17 printed for corpus frame 4385.
      expect(e.pinfo.info).toBe('10288 \u2192 12336 [ACK, URG, AE, Reserved] Seq=1 Ack=1 Win=12336 Urg=12336 Len=12308[Packet size limited during capture]');
      expect(ourFields(e, ['tcp.stream', 'tcp.options', 'tcp.options.eol', '_ws.expert.message'])).toEqual(['0', '00303030', '00', 'Non-zero header padding']);
      expect(e.tree.text[e.tree.find(fieldByName('tcp')!)]).toBe('Transmission Control Protocol, Src Port: 10288, Dst Port: 12336, Seq: 1, Ack: 1, Len: 12308');
      expect(e.tree.find(fieldByName('tcp.analysis.bytes_in_flight')!)).toBe(-1);
      const e2 = new Engine();
      const eth = readPcap(join(dir, 'corpus-1.pcap'));
      dissect(e2, eth[1], 2, 'full');
      expect(e2.tree.text[e2.tree.find(fieldByName('tcp')!)]).toBe('Transmission Control Protocol, Src Port: 12336, Dst Port: 12336');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('tcp options and Accurate ECN on corpus frames', () => {
  // PDML places an expert item's own field (tcp.connection.syn, tcp.options.mss.absent) at 0+0; the
  // -T fields output the corpus is judged by has no positions, so those position-only differences go.
  const EXPERT_POS = /^frame \d+ tcp\.(connection\.\w+|options\.mss\.absent)\[\d+\]: tshark ""@0\+0, ours ""@\d+\+\d+$/;
  const diffsOf = (r: { diffs: string[] }) => r.diffs.filter((d) => !EXPERT_POS.test(d));

  it('decodes Experimental (AccECN, Fast Open), SCPS and TCP-AO options as tshark 4.0 does', () => {
    const r = compareHexFrames([
      // Corpus frames 9006-9009: Fast Open cookie request and cookie, as kind 254 with ExID 0xF989.
      { hex: '1c7ee54ca1cbb0750c00000108004500002c00060000ff06f4b3c0a800640303030332f732fe0d05af640000000060020578b9660000fe04f989' },
      { hex: 'b0750c0000021c7ee54ca1cc08004500003000060000fe06a4aa090909090303030332f732fe0d05af64000000007002057850a50000020405b4fe04f989' },
      { hex: '1c7ee54ca1ccb0750c00000208004500003400020000ff06a3aa030303030909090932fe32f7f08733f50d05af658012057810b20000fe0af9890909090900000101' },
      { hex: 'b0750c0000011c7ee54ca1cb08004500003800020000fe06f5ab03030303c0a8006432fe32f7f08733f50d05af659012057849d30000020405dcfe0af9890909090900000101' },
      // Corpus frame 8995: a TCP-AO option cut by the capture after its key IDs.
      { hex: '30303030303030303030303008004530303030304000300630303030303030303030303030303030303030303030dc303030303030301d153030303030303030', origLen: 262144 },
    ], ['tcp']);
    expect(diffsOf(r)).toEqual([]);
    expect(r.compared).toBeGreaterThan(100);
    expect(r.ours.columns.map((c) => c[3])).toContain('13054 \u2192 13047 [SYN, ACK] Seq=0 Ack=1 Win=1400 Len=0 TFO=C');
  });

  it('names an SCPS option with no capabilities option before it "Illegal" (corpus frame 8719)', () => {
    const r = compareHexFrames([
      { hex: '450000347b8600006e069551b6b5cae653fd6653ce0ef914dff3506700000000800220001bb30000020405ac0103030201011402', origLen: 52 },
    ], ['tcp'], LINK_RAW);
    expect(diffsOf(r)).toEqual([]);
    expect(r.ours.fields[0].filter((f) => f.name.startsWith('tcp.option')).map((f) => `${f.name}@${f.pos}+${f.size}`)).toContain('tcp.options.scps@50+2');
    expect(r.ours.fields[0].map((f) => f.name)).not.toContain('tcp.options.unknown');
  });

  it('shows the ACE counter once SYN and SYN/ACK agreed on Accurate ECN (corpus frames 1123-1127)', () => {
    const r = compareHexFrames([
      { hex: '18fd740745cd000c29f7801208004500003c0000400040061a4f1f8592f842e42b0c40310050741d4a2d00000000a1c2ffff209c0000020405b4010303060402080a06af3c1500000000' },
      { hex: '000c29f7801218fd740745cd080045000048000040003606244342e42b0c1f8592f800504031b128b393741d4a2ed092fe8822a80000020405b40402080aa5e4dec406af3c15fe0dacc0000001000000000000030307' },
      { hex: '18fd740745cd000c29f780120800450000440000400040061a471f8592f842e42b0c40310050741d4a2eb128b394c090040320a400000101080a06af3cf2a5e4dec4fe0dacc0000000ffffffffffff000000' },
      { hex: '000c29f7801218fd740745cd080045010034b29c4000360671b942e42b0c1f8592f800504031b128b394741d4a7c815001fd26c600000101080aa5e4deee06af3cf2' },
    ], ['tcp']);
    expect(diffsOf(r)).toEqual([]);
    const cols = r.ours.columns.map((c) => c[3]);
    expect(cols[1]).toBe('80 \u2192 16433 [SYN, ACK, CWR] Seq=0 Ack=1 Win=65160 Len=0 MSS=1460 SACK_PERM TSval=2783239876 TSecr=112147477 EE0B=1 ECEB=0 EE1B=0 WS=128');
    expect(cols[2]).toContain('[ACK, ACE=2]');
    expect(r.ours.fields[3].filter((f) => f.name.startsWith('tcp.flags.')).map((f) => `${f.name}=${f.show}`)).toContain('tcp.flags.ace=5');
  });

  it('counts conversation completeness as tshark 4.0: not a first non-SYN segment, ACK only without data', () => {
    // Corpus streams 78 (6560-6565) and 102 (7432-7435), cut after the TCP header (what completeness
    // reads is the flags and the IP length); tshark printed 0,1,9,9,9,13 and 0,0,4,12.
    const r = compareHexFrames([
      { hex: '7a4ecdc000007a50c6c0000108004500003005e10000ff063493c0a80002c0a80001e3d102860001ae9c000000007002ffff6df900000204058c01030305', origLen: 62 },
      { hex: '7a4ecdc000007a50c6c00001080045c0005105e20000ff0633b1c0a80002c0a80001e3d102860001ae9d000156d550180bd168c10000', origLen: 95 },
      { hex: '7a4ecdc000007a50c6c00001080045c0003a05e30000ff0633c7c0a80002c0a80001e3d102860001aec60001571050180bcf73a60000', origLen: 72 },
      { hex: '7a4ecdc000007a50c6c00001080045c0018305e40000ff06327dc0a80002c0a80001e3d102860001aed80001571050180bcf46c60000', origLen: 401 },
      { hex: '7a4ecdc000007a50c6c00001080045c0002805e50000ff0633d7c0a80002c0a80001e3d102860001b0330001577c50100bcc34ab0000', origLen: 54 },
      { hex: '7a4ecdc000007a50c6c00001080045c0012c05e60000ff0632d2c0a80002c0a80001e3d102860001b03300015a0150180bb8bffe0000', origLen: 314 },
      { hex: '0000000000000000000000000800450000ec015c400040063aae7f0000017f00000119e98a1fc50150c7eab9655880180064fee000000101080a0008296800082491', origLen: 250 },
      { hex: '000000000000000000000000080045000034f123400040064b9e7f0000017f0000018a1f19e9eab96558c501517f80100062fe2800000101080a0008297200082968', origLen: 66 },
      { hex: '00000000000000000000000008004500003c015d400040063b5d7f0000017f00000119e98a1fc501517feab9655880180064fe3000000101080a0008297300082972', origLen: 74 },
      { hex: '000000000000000000000000080045000034f124400040064b9d7f0000017f0000018a1f19e9eab96558c501518780100062fe2800000101080a0008297300082973', origLen: 66 },
    ], ['tcp.completeness', 'tcp.stream', 'tcp.len', 'tcp.flags'], LINK_ETHERNET, false);
    expect(r.diffs).toEqual([]);
    expect(r.ours.fields.map((f) => f.find((o) => o.name === 'tcp.completeness')?.show)).toEqual(['0', '1', '9', '9', '9', '13', '0', '0', '4', '12']);
  });

  it('tells retransmissions from out-of-order segments as tshark 4.0 (SYN/ACK repeated, clock going back) and hides a zero RTO', () => {
    const SYN_7941 = '0800209f6b7200000000000008004500003003b740008006e0fa0a01010b0a01010a0bd106bbd973edeb0000000070024000531d0000020405b401010402';
    const SYNACK_7942 = '0000000000000800209f6b720800450000304fb440004006d4fd0a01010a0a01010b06bb0bd18b6e1fc7d973edec70127d786a5e0000020405b401010402';
    const FIELDS = ['tcp.analysis', 'tcp.completeness', 'tcp.time_relative', 'tcp.time_delta'];
    // Corpus frames 7941-7943: the SYN/ACK sent twice 0.1 ms apart is a retransmission (it ends at nextseq).
    const a = compareHexFrames([
      { hex: SYN_7941, tsNs: 954147395148077000n },
      { hex: SYNACK_7942, tsNs: 954147395148207000n },
      { hex: SYNACK_7942, tsNs: 954147395148313000n },
    ], FIELDS);
    expect(diffsOf(a)).toEqual([]);
    expect(a.ours.columns[2][3]).toMatch(/^\[TCP Retransmission\] /);
    // Corpus frames 8996-8998 and 9037 (Linux cooked capture): the repeated SYN is stamped before the
    // handshake's ACK; packet-tcp.c's unsigned time difference makes it a retransmission, RTO from 8996.
    const b = compareHexFrames([
      { hex: '000402000000000000000000000008004500003c29a940004006db5f839bd7458974515eb64000502f842acb00000000a0026a4050c40000020405500402080a436a03620000000001030307', tsNs: 1418145369924505488n },
      { hex: '000002000000000000000000000008004500003c1c4440007506b3c48974515e839bd7450050b640b7839f902f842acca012200086480000020405a0010303080402080a0df5af50436a0362', tsNs: 1418145370052027262n },
      { hex: '000402000000000000000000000008004500003429aa40004006db66839bd7458974515eb64000502f842accb7839f91801000d5d40c00000101080a436a03820df5af50', tsNs: 1418145370052115157n },
      { hex: '000402000000000000000000000008004500003c29a940004006db5f839bd7458974515eb64000502f842acb00000000a0026a4050c40000020405500402080a436a03620000000001030307', tsNs: 1418145369999999000n },
    ], FIELDS, 113);
    expect(diffsOf(b)).toEqual([]);
    expect(b.ours.fields[3].filter((o) => o.name.startsWith('tcp.analysis.r')).map((o) => `${o.name}=${o.show}`)).toEqual([
      'tcp.analysis.retransmission=', 'tcp.analysis.rto=0.075493512', 'tcp.analysis.rto_frame=1',
    ]);
    // Corpus frames 4744-4745: the same segment twice with one timestamp: no RTO items (it is zero).
    const SEG_4744 = '5254007ae159525400217f49080045c0007e9de04000ff0692b1a5feff18a5feff1100b381b225bc0168767c50c18018087ca92400000101080a36ee3942ba8dec03ffffffffffffffffffffffffffffffff004a030602345468697320697320612074657374206f66207468652073687574646f776e20636f6d6d756e69636174696f6e2073797374656d2e';
    const c = compareHexFrames([{ hex: SEG_4744, tsNs: 1483463332850795000n }, { hex: SEG_4744, tsNs: 1483463332850795000n }], FIELDS, LINK_ETHERNET, false);
    expect(diffsOf(c)).toEqual([]);
    expect(c.ours.fields[1].map((o) => o.name)).not.toContain('tcp.analysis.rto');
  });

  it('refers a duplicate ACK to the segment that last moved the ACK number, and counts SYN/FIN out of bytes in flight', () => {
    // Corpus frames 8918-8927 (an SSH stream, cut after the TCP header): tshark names 8918 (frame 1 here),
    // not the data segments 8920 and 8922 that repeat its ACK number.
    const r = compareHexFrames([
      { hex: '8c85903f77ddd4ca6d2e7f6708004548007ce1ff400036062ac0df8435deca6c57a50016f2c29257b6d2f352059a8018015431c90000010101010101010101010101', origLen: 138, tsNs: 1545562210397660000n },
      { hex: 'd4ca6d2e7f678c85903f77dd080045200028000040004006033cca6c57a5df8435def2c20016f352059a9257b71a50100ffe332a0000', origLen: 54, tsNs: 1545562210397833000n },
      { hex: '8c85903f77ddd4ca6d2e7f670800454800a0e200400036062a9bdf8435deca6c57a50016f2c29257b71af352059a8018015430f90000010101010101010101010101', origLen: 174, tsNs: 1545562210413471000n },
      { hex: 'd4ca6d2e7f678c85903f77dd080045200028000040004006033cca6c57a5df8435def2c20016f352059a9257b78650100ffe32be0000', origLen: 54, tsNs: 1545562210413539000n },
      { hex: '8c85903f77ddd4ca6d2e7f670800454800e4e201400036062a56df8435deca6c57a50016f2c29257b786f352059a801801546a140000010101010101010101010101', origLen: 242, tsNs: 1545562210416235000n },
      { hex: 'd4ca6d2e7f678c85903f77dd080045200028000040004006033cca6c57a5df8435def2c20016f352059a9257b83650100ffd320f0000', origLen: 54, tsNs: 1545562210416295000n },
      { hex: 'd4ca6d2e7f678c85903f77dd08004520004c0000400040060318ca6c57a5df8435def2c20016f352059a9257b836501810007a780000', origLen: 90, tsNs: 1545562210416417000n },
      { hex: 'd4ca6d2e7f678c85903f77dd0800452000640000400040060300ca6c57a5df8435def2c20016f35205be9257b83650181000fcfe0000', origLen: 114, tsNs: 1545562210416417000n },
      { hex: 'd4ca6d2e7f678c85903f77dd080045200028000040004006033cca6c57a5df8435def2c20016f35205fa9257b8365011100031ab0000', origLen: 54, tsNs: 1545562210417744000n },
      { hex: '8c85903f77ddd4ca6d2e7f67080045480040e202400036062af9df8435deca6c57a50016f2c29257b836f352059ab0100154e1f300000101010101010101010101010101050af35205faf35205fb', origLen: 78, tsNs: 1545562210446501000n },
      // Corpus frame 9018 (restamped near the others): a SYN with 4 bytes of data (TCP Fast Open): 4 bytes in flight, not 5.
      { hex: '1c7ee54ca1cbb0750c000001080045000038000a0000ff06f4a3c0a800640303030332f832fe37d56783000000008002057805b40000fe0af9890909090900000101', origLen: 70, tsNs: 1545562210466501000n },
    ], ['tcp.analysis', 'tcp.completeness'], LINK_ETHERNET, false);
    expect(diffsOf(r)).toEqual([]);
    const field = (i: number, n: string) => r.ours.fields[i].find((o) => o.name === n)?.show;
    expect(field(9, 'tcp.analysis.duplicate_ack_frame')).toBe('1');
    expect(field(10, 'tcp.analysis.bytes_in_flight')).toBe('4');
  });

  it('gives a segment with SYN and FIN together one sequence number (corpus frame 8999)', () => {
    const r = compareHexFrames([{ hex: '42010af0000142010af000170800450000288e4a00004006d8020a0000020a80000218740050225c20671cf82b1f50ff0200f4c30000' }], ['tcp.nxtseq', 'tcp.seq', 'tcp.flags']);
    expect(diffsOf(r)).toEqual([]);
    expect(r.ours.fields[0].find((o) => o.name === 'tcp.nxtseq')?.show).toBe('1');
  });

  it('shows the data of a RST as its reset cause, not as payload (corpus frames 9001, 9003)', () => {
    // 9001: a BIG-IP RST whose text the capture cut (112 bytes on the wire); 9003 (BSD loopback): binary bytes.
    const a = compareHexFrames([{ hex: '002170676f5000907f3e02d008004520006220334000f3064ee3c7cc1f59ac1085290050ce8b6063e721736f198950141699847100004249472d49503a205b3078313163353637323a333034355d207b706565727d20544350205253542066726f6d2072656d6f7465207379737465', origLen: 112 }], ['tcp']);
    expect(diffsOf(a)).toEqual([]);
    expect(a.ours.fields[0].find((o) => o.name === 'tcp.reset_cause')?.show).toBe('BIG-IP: [0x11c5672:3045] {peer} TCP RST from remote syste');
    expect(a.ours.fields[0].map((o) => o.name)).not.toContain('tcp.payload');
    const b = compareHexFrames([{ hex: '020000004500003000000000ff06391dc0000201c0a80001a80a1f9000000001eb8efe0a501400003f7f000033aa00010000' }], ['tcp'], 0);
    expect(diffsOf(b)).toEqual([]);
    expect(b.ours.fields[0].find((o) => o.name === 'tcp.reset_cause')?.show).toBe('3\ufffd');
  });

  it('shows no retransmitted segment data for an out-of-order SYN\'s data or a segment the capture cut (corpus frames 4621-4747, 7182-7183)', () => {
    const a = compareHexFrames([
{ hex: 'ffffffffffff00000000000008004500003d0001000040067cb87f0000017f000001001400b300000000000000005002200083e90000ffffffffffffffffffffffffffffffff001503060a', origLen: 75, tsNs: 1648222988773753000n },
      { hex: 'ffffffffffff0000000000000800450000510001000040067ca47f0000017f000001001400b3000000000000000050022000a7090000ffffffffffffffffffffffffffffffff00290306040a30313233343536373839457874726144617461', origLen: 95, tsNs: 1649121563958779000n },
      { hex: 'ffffffffffff00000000000008004500003e0001000040067cb77f0000017f000001001400b300000000000000005002200089e70000ffffffffffffffffffffffffffffffff001603060400', origLen: 76, tsNs: 1649121563960010000n },
    ], ['tcp.segment_data', 'tcp.payload', 'tcp.analysis'], LINK_ETHERNET, false);
    expect(diffsOf(a)).toEqual([]);
    expect(a.ours.fields[2].map((o) => o.name)).toContain('tcp.analysis.out_of_order');
    expect(a.ours.fields[2].map((o) => o.name)).not.toContain('tcp.segment_data');
    expect(a.ours.fields[1].map((o) => o.name)).toContain('tcp.segment_data');
    // 7182-7183 cut after the TCP header (7183 restamped one second after 7182; in the corpus it is stamped 1970).
    const b = compareHexFrames([
      { hex: '00000c9ff001f23c9184f11d080045000232ed294000400611cf6d4ab3a85896a93419fd1294b5fbe035cd263daa8018e7e93be200000000000001000000ff004e00', origLen: 576, tsNs: 1398314839498417000n },
      { hex: '00000c9ff001f23c9184f11d080045000232ed294000400611cf6d4ab3a85896a93419fd1294b5fbe0352e263daa8018e7e93be200000000000001000000ff004e00', origLen: 576, tsNs: 1398314840498417000n },
    ], ['tcp.segment_data', 'tcp.analysis'], LINK_ETHERNET, false);
    expect(diffsOf(b)).toEqual([]);
    expect(b.ours.fields[1].map((o) => o.name)).toContain('tcp.analysis.retransmission');
    expect(b.ours.fields[1].map((o) => o.name)).not.toContain('tcp.segment_data');
  });
});
