// Follow TCP Stream (Wireshark's follow_tcp / tshark -z follow,tcp,MODE,N): the stream's payload in
// sequence order, each segment a chunk from node 0 (the endpoint that sent the stream's first
// segment) or node 1, with retransmitted bytes dropped and out-of-order segments held until the gap
// before them is filled, as Wireshark's follow tap does. Output as tshark prints it: ascii, hex, raw.
import { formatAddress } from '../columns.js';
import { AddrType } from '../packet.js';
import { taps, type TcpSegmentTap } from './taps.js';

export type FollowMode = 'ascii' | 'hex' | 'raw';

export interface FollowChunk {
  /** 0 = client side (node 0), 1 = server side. */
  node: 0 | 1;
  frame: number;
  data: Uint8Array;
}

export interface FollowResult {
  stream: number;
  node0: string;
  node1: string;
  chunks: FollowChunk[];
}

function endpoint(t: TcpSegmentTap, src: boolean): string {
  const a = src ? t.src : t.dst, p = src ? t.srcPort : t.dstPort;
  const s = formatAddress(a);
  return a.type === AddrType.IPv6 ? `${s}:${p}` : `${s}:${p}`;
}

export class TcpFollower {
  private node0Key = '';
  private result: FollowResult;
  private readonly next: [number, number] = [-1, -1];
  /** Out-of-order segments per node, held until the gap before them closes (bounded by the stream). */
  private readonly pending: [{ seq: number; frame: number; data: Uint8Array }[], { seq: number; frame: number; data: Uint8Array }[]] = [[], []];
  private readonly tap = (t: TcpSegmentTap) => this.onSegment(t);

  constructor(readonly stream: number) {
    this.result = { stream, node0: '', node1: '', chunks: [] };
  }

  /** Starts listening to TCP (before the capture is dissected). */
  attach(): this {
    taps.tcp.add(this.tap);
    return this;
  }
  detach(): FollowResult {
    taps.tcp.delete(this.tap);
    return this.result;
  }

  onSegment(t: TcpSegmentTap): void {
    if (t.stream !== this.stream) return;
    const key = `${endpoint(t, true)}>${endpoint(t, false)}`;
    if (this.node0Key === '') {
      this.node0Key = key;
      this.result.node0 = endpoint(t, true);
      this.result.node1 = endpoint(t, false);
    }
    const node: 0 | 1 = key === this.node0Key ? 0 : 1;
    if (t.payload.length > 0) this.add(node, t.seq, t.frame, t.payload.slice());
    if (t.ack >= 0) this.acked((node ^ 1) as 0 | 1, t.ack, t.frame);
  }

  /**
   * The peer acknowledged up to `ack`: a gap before held-back data that it covers will not be filled
   * from this capture, so it is reported as "[N bytes missing in capture file]" (packet-tcp.c's
   * check_follow_fragments) and the held data goes out.
   */
  private acked(node: 0 | 1, ack: number, frame: number): void {
    const held = this.pending[node];
    if (held.length === 0 || this.next[node] < 0) return;
    held.sort((a, b) => a.seq - b.seq);
    const first = held[0];
    if (first.seq <= this.next[node] || ack < first.seq) return;
    const gap = first.seq - this.next[node];
    this.result.chunks.push({ node, frame, data: new TextEncoder().encode(`[${gap} bytes missing in capture file]\0`) });
    // tshark 4.0 includes the C string's terminating NUL in the stream data.
    this.next[node] = first.seq;
    while (held.length > 0 && held[0].seq <= this.next[node]) {
      const h = held.shift()!;
      this.add(node, h.seq, h.frame, h.data);
    }
  }

  private add(node: 0 | 1, seq: number, frame: number, data: Uint8Array): void {
    let nxt = this.next[node];
    if (nxt < 0) nxt = seq;
    const end = seq + data.length;
    if (end <= nxt) return; // all of it seen already (a retransmission)
    if (seq > nxt) {
      this.pending[node].push({ seq, frame, data });
      return;
    }
    const fresh = seq < nxt ? data.subarray(nxt - seq) : data;
    this.result.chunks.push({ node, frame, data: fresh });
    this.next[node] = end;
    // Anything held back that now fits goes out in sequence order.
    const held = this.pending[node];
    held.sort((a, b) => a.seq - b.seq);
    while (held.length > 0 && held[0].seq <= this.next[node]) {
      const h = held.shift()!;
      this.add(node, h.seq, h.frame, h.data);
    }
  }
}

const RULE = '===================================================================';

function printable(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i++) {
    const c = b[i];
    s += c === 0x0a || c === 0x0d || (c >= 0x20 && c < 0x7f) ? String.fromCharCode(c) : '.';
  }
  return s;
}

function hexLines(b: Uint8Array, base: number, indent: string): string {
  let out = '';
  for (let off = 0; off < b.length; off += 16) {
    const row = b.subarray(off, off + 16);
    let hex = '', asc = '';
    for (let i = 0; i < 16; i++) {
      if (i === 8) { hex += ' '; }
      hex += i < row.length ? row[i].toString(16).padStart(2, '0') + ' ' : '   ';
      if (i < row.length) {
        if (i === 8) asc += ' ';
        asc += row[i] >= 0x20 && row[i] < 0x7f ? String.fromCharCode(row[i]) : '.';
      }
    }
    const line = `${indent}${(base + off).toString(16).toUpperCase().padStart(8, '0')}  ${hex} ${asc}`;
    // tshark drops the trailing blank of a row longer than 8 bytes, not of a shorter one.
    out += (row.length > 8 ? line.trimEnd() : line) + '\n';
  }
  return out;
}

/** The text tshark -q -z follow,tcp,MODE,N prints. */
export function formatFollow(r: FollowResult, mode: FollowMode): string {
  let out = `\n${RULE}\nFollow: tcp,${mode}\nFilter: tcp.stream eq ${r.stream}\nNode 0: ${r.node0}\nNode 1: ${r.node1}\n`;
  const pos = [0, 0];
  for (const c of r.chunks) {
    const ind = c.node === 1 ? '\t' : '';
    if (mode === 'ascii') out += `${ind}${c.data.length}\n${printable(c.data)}\n`;
    else if (mode === 'hex') out += hexLines(c.data, pos[c.node], ind);
    else out += `${ind}${Array.from(c.data, (x) => x.toString(16).padStart(2, '0')).join('')}\n`;
    pos[c.node] += c.data.length;
  }
  return out + `${RULE}\n`;
}
