// Per-packet dissection state (Wireshark's packet_info) and per-capture state shared across packets.
// One PacketInfo is reused for every packet; dissectors write the summary columns into it.

import type { Tvb } from './tvb.js';

/** Address kinds for the Source/Destination columns (Wireshark's address_type). */
export enum AddrType {
  NONE = 0,
  ETHER = 1,
  IPv4 = 2,
  IPv6 = 3,
}

export interface Address {
  type: AddrType;
  /** A view of the address bytes (6, 4 or 16); valid while the packet is being dissected. */
  bytes: Uint8Array;
}

const NO_ADDR: Address = Object.freeze({ type: AddrType.NONE, bytes: new Uint8Array(0) }) as Address;

/**
 * An address where it lies in the packet's bytes: `bytes` is made (once) only when read. Layers set
 * these rather than `{ type, bytes: tvb.bytesAt(...) }`, since a subarray per address was a tenth of
 * a summary pass's frame + Ethernet + IPv4 time (measured on the wrk capture), and the Source and
 * Destination columns print from `data` and `off` directly.
 */
export class AddressAt implements Address {
  private view: Uint8Array | null = null;
  constructor(public type: AddrType, public data: Uint8Array, public off: number, public len: number) {}
  get bytes(): Uint8Array {
    return this.view ??= this.data.subarray(this.off, this.off + this.len);
  }
  /** Points this address elsewhere (PacketInfo's reused addresses). */
  set(type: AddrType, data: Uint8Array, off: number, len: number): this {
    this.type = type;
    this.data = data;
    this.off = off;
    this.len = len;
    this.view = null;
    return this;
  }
}

/**
 * The `len`-byte address at `off` of `tvb`, bounds-checked as tvb.bytesAt would be; written into
 * `reuse` if given (one of PacketInfo's per-layer addresses), else a new object.
 */
export function addressAt(tvb: Tvb, type: AddrType, off: number, len: number, reuse: AddressAt | null = null): AddressAt {
  tvb.ensure(off, len);
  return reuse !== null ? reuse.set(type, tvb.bytes, tvb.base + off, len) : new AddressAt(type, tvb.bytes, tvb.base + off, len);
}

/** Port types (Wireshark's port_type). */
export enum PortType {
  NONE = 0,
  TCP = 1,
  UDP = 2,
}

/** desegmentLen: "give me the next segment too, whatever its length" (Wireshark's DESEGMENT_ONE_MORE_SEGMENT). */
export const DESEGMENT_ONE_MORE_SEGMENT = 0x0fffffff;
/** desegmentLen: "everything up to the FIN" (Wireshark's DESEGMENT_UNTIL_FIN). */
export const DESEGMENT_UNTIL_FIN = 0x0ffffffe;

/**
 * Info text a layer formats only if it is still shown: TCP's "58194 → 85 [ACK] Seq=1 …" is replaced by
 * the application layer's on almost every data segment (HTTP's setInfo), and formatting it cost ~0.3 us
 * a packet on the wrk capture. `text()` must not read the packet's bytes (they may be gone by then).
 */
export interface LazyInfo {
  text(): string;
}

/** Wireshark's epan/column-info.h: the Info column's buffer size, NUL included. */
export const COL_MAX_INFO_LEN = 4096;

/** The longest prefix of `s` whose UTF-8 form has at most `max` bytes (never half a character). */
export function truncateUtf8(s: string, max: number): string {
  let bytes = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const pair = c >= 0xd800 && c < 0xdc00 && i + 1 < s.length;
    const n = c < 0x80 ? 1 : c < 0x800 ? 2 : pair ? 4 : 3;
    if (bytes + n > max) return s.slice(0, i);
    bytes += n;
    if (pair) i++;
  }
  return s;
}

export class PacketInfo {
  /** 1-based frame number. */
  num = 0;
  /** Absolute timestamp: whole seconds and nanoseconds. */
  tsSec = 0;
  tsNsec = 0;
  capLen = 0;
  origLen = 0;
  linkType = 0;
  interfaceId = 0;
  /** True once this frame has been dissected before (Wireshark's pinfo->fd->visited). */
  visited = false;
  /** False on fast passes that need no Info/Protocol text (filters): dissectors may skip formatting. */
  columns = true;

  /** The Protocol column: the last layer that sets it wins. */
  protocol = '';
  /** Source/Destination columns (pinfo->src/dst): each layer overwrites them. */
  src: Address = NO_ADDR;
  dst: Address = NO_ADDR;
  dlSrc: Address = NO_ADDR;
  dlDst: Address = NO_ADDR;
  netSrc: Address = NO_ADDR;
  netDst: Address = NO_ADDR;
  /**
   * Addresses reused from packet to packet by the link and network layers (an object per
   * address and packet cost 0.18 us a packet in garbage, measured on the wrk capture). Each packet
   * overwrites them: an address kept past its packet must be copied. Layers inside an ICMP error's
   * quote make new ones, so that the packet's own can be put back.
   */
  readonly dlSrcAt = new AddressAt(AddrType.NONE, NO_ADDR.bytes, 0, 0);
  readonly dlDstAt = new AddressAt(AddrType.NONE, NO_ADDR.bytes, 0, 0);
  readonly netSrcAt = new AddressAt(AddrType.NONE, NO_ADDR.bytes, 0, 0);
  readonly netDstAt = new AddressAt(AddrType.NONE, NO_ADDR.bytes, 0, 0);
  ptype = PortType.NONE;
  srcPort = 0;
  dstPort = 0;
  /**
   * The layers entered so far, "frame" first (frame.protocols is built from them): a copy. They are
   * kept in a reused array with a count, since emptying an array per packet (length = 0) dropped its
   * storage and every packet grew it again (measured: 2% of a summary pass).
   */
  get layers(): string[] {
    return this.layerNames.slice(0, this.layerCount);
  }
  private readonly layerNames: string[] = ['', '', '', '', '', '', '', '', '', '', '', '', '', '', '', ''];
  private layerCount = 0;
  /** Set by a layer whose payload continues in a fragment or segment that is not here. */
  fragmented = false;
  /** TCP stream index of this packet, or -1 (used by dissectors above TCP). */
  tcpStream = -1;
  /** Short name of the innermost protocol entered so far ("TCP"), for malformed-packet markers. */
  currentProtocol = '';
  /**
   * TCP reassembly contract (Wireshark's pinfo->can_desegment / desegment_offset / desegment_len):
   * TCP sets canDesegment before calling a dissector above it; a dissector that finds its PDU cut
   * short sets desegmentOffset (where the unfinished PDU starts in its tvb) and desegmentLen (bytes
   * still missing, or DESEGMENT_ONE_MORE_SEGMENT / DESEGMENT_UNTIL_FIN) and returns; TCP calls it again
   * with the whole PDU on the frame that completes it.
   */
  canDesegment = false;
  desegmentOffset = 0;
  desegmentLen = 0;

  private infoText = '';
  private fence = 0;
  /** Text still to be appended to infoText (see LazyInfo): built on the first read or append. */
  private lazy: LazyInfo | null = null;

  reset(num: number, tsSec: number, tsNsec: number, capLen: number, origLen: number, linkType: number, interfaceId: number, visited: boolean, columns: boolean): void {
    this.num = num;
    this.tsSec = tsSec;
    this.tsNsec = tsNsec;
    this.capLen = capLen;
    this.origLen = origLen;
    this.linkType = linkType;
    this.interfaceId = interfaceId;
    this.visited = visited;
    this.columns = columns;
    this.protocol = '';
    this.src = this.dst = this.dlSrc = this.dlDst = this.netSrc = this.netDst = NO_ADDR;
    this.ptype = PortType.NONE;
    this.srcPort = this.dstPort = 0;
    this.layerCount = 0;
    this.fragmented = false;
    this.tcpStream = -1;
    this.currentProtocol = '';
    this.canDesegment = false;
    this.desegmentOffset = 0;
    this.desegmentLen = 0;
    this.infoText = '';
    this.fence = 0;
    this.lazy = null;
  }

  /** Records that a protocol's dissector runs on this packet (frame.protocols, malformed markers). */
  enter(filterName: string, shortName: string): void {
    if (this.layerCount < this.layerNames.length) this.layerNames[this.layerCount] = filterName;
    else this.layerNames.push(filterName);
    this.layerCount++;
    this.currentProtocol = shortName;
  }
  /** Takes the last layer entered off the list (a dissector that returned 0: packet.c call_dissector_work). */
  leave(): void {
    if (this.layerCount > 0) this.layerCount--;
  }
  /** frame.protocols: the layers after "frame", joined by colons ("eth:ethertype:ip:tcp"). */
  protocolsText(): string {
    let s = '';
    for (let i = 1; i < this.layerCount; i++) s += i === 1 ? this.layerNames[i] : ':' + this.layerNames[i];
    return s;
  }
  currentProtocolName(): string {
    return this.currentProtocol || 'Frame';
  }

  setDl(src: Address, dst: Address): void {
    this.dlSrc = this.src = src;
    this.dlDst = this.dst = dst;
  }
  setNet(src: Address, dst: Address): void {
    this.netSrc = this.src = src;
    this.netDst = this.dst = dst;
  }

  // The Info column, with Wireshark's fence: text before the fence survives setInfo/clearInfo. Lazy
  // text is always last, after the fence: setInfo/clearInfo drop it, anything else formats it first.
  get info(): string {
    if (this.lazy !== null) this.flushLazy();
    // Wireshark's column buffers hold COL_MAX_INFO_LEN (4096) bytes with the NUL: every col_* call
    // truncates, so the column is the first 4095 bytes of the text, whatever order it was built in.
    // Any string of at most 1365 UTF-16 units is at most 4095 bytes of UTF-8.
    const s = this.infoText;
    return s.length <= 1365 ? s : truncateUtf8(s, COL_MAX_INFO_LEN - 1);
  }
  setInfo(text: string): void {
    this.lazy = null;
    this.infoText = this.infoText.slice(0, this.fence) + text;
  }
  /** setInfo with text formatted only when read (see LazyInfo). */
  setInfoLazy(text: LazyInfo): void {
    this.infoText = this.infoText.slice(0, this.fence);
    this.lazy = text;
  }
  /** The LazyInfo still waiting to be formatted, if any. */
  get pendingInfo(): LazyInfo | null {
    return this.lazy;
  }
  appendInfo(text: string): void {
    if (this.lazy !== null) this.flushLazy();
    this.infoText += text;
  }
  /** Appends `text`, preceded by `sep` unless the column is empty (col_append_sep_str). */
  appendInfoSep(sep: string, text: string): void {
    if (this.lazy !== null) this.flushLazy();
    this.infoText += this.infoText.length > 0 ? sep + text : text;
  }
  prependInfo(text: string): void {
    this.infoText = text + this.infoText;
    if (this.fence > 0) this.fence += text.length;
  }
  /** Prepends `text` and fences it (col_prepend_fence_fstr): later setInfo/clearInfo keep it. */
  prependInfoFence(text: string): void {
    this.infoText = text + this.infoText;
    this.fence = this.fence > 0 ? this.fence + text.length : text.length;
  }
  clearInfo(): void {
    this.lazy = null;
    this.infoText = this.infoText.slice(0, this.fence);
  }
  /** Protects the current Info text from later setInfo/clearInfo (col_set_fence). */
  setFence(): void {
    if (this.lazy !== null) this.flushLazy();
    this.fence = this.infoText.length;
  }
  private flushLazy(): void {
    const l = this.lazy!;
    this.lazy = null;
    this.infoText += l.text();
  }
}

/**
 * State that lives for a whole capture: conversations, stream counters, per-frame results of the
 * first pass. Each protocol keeps its own under a key (`ctx.state('tcp', () => new TcpState())`).
 * Everything here must stay bounded on long captures (see the owners' notes).
 */
export class CaptureContext {
  private readonly states = new Map<string, unknown>();
  /** Timestamp of frame 1 (for frame.time_relative), NaN before it. */
  firstTsSec = NaN;
  firstTsNsec = 0;
  /**
   * Nanoseconds since frame 1 of every frame seen, by frame number (index 0 unused): exact to 104
   * days in a double, 8 bytes a frame. Lets a revisited frame know its predecessor's time.
   */
  relNs = new Float64Array(1024);

  /** Records frame `num`'s time on the first pass and returns nanoseconds since frame 1. */
  noteTime(num: number, tsSec: number, tsNsec: number): number {
    if (Number.isNaN(this.firstTsSec)) {
      this.firstTsSec = tsSec;
      this.firstTsNsec = tsNsec;
    }
    const rel = (tsSec - this.firstTsSec) * 1e9 + (tsNsec - this.firstTsNsec);
    if (num >= this.relNs.length) {
      const g = new Float64Array(Math.max(num + 1, this.relNs.length * 2));
      g.set(this.relNs);
      this.relNs = g;
    }
    this.relNs[num] = rel;
    if (num >= this.secs.length) {
      const n = Math.max(num + 1, this.secs.length * 2);
      const s = new Float64Array(n), f = new Int32Array(n);
      s.set(this.secs);
      f.set(this.nsecs);
      this.secs = s;
      this.nsecs = f;
    }
    this.secs[num] = tsSec;
    this.nsecs[num] = tsNsec;
    return rel;
  }

  /**
   * Exact seconds and nanoseconds of every frame seen, kept apart (12 bytes a frame): relNs loses
   * nanoseconds once a capture spans more than 104 days (merged files, a first packet stamped 1970).
   */
  secs = new Float64Array(1024);
  nsecs = new Int32Array(1024);

  /**
   * Nanoseconds from frame `b` to frame `a`, exact: a number up to 2^53 ns (104 days), a bigint
   * beyond (FT_RELATIVE_TIME values may be either; format.ts and the filter compare both).
   */
  exactDeltaNs(a: number, b: number): number | bigint {
    const ds = this.secs[a] - this.secs[b], dn = this.nsecs[a] - this.nsecs[b];
    const ns = ds * 1e9 + dn;
    if (Math.abs(ns) < 9e15) return ns;
    return BigInt(ds) * 1_000_000_000n + BigInt(dn);
  }

  /** The same as a number (exact up to 104 days): for differences within a conversation. */
  deltaNs(a: number, b: number): number {
    return (this.secs[a] - this.secs[b]) * 1e9 + (this.nsecs[a] - this.nsecs[b]);
  }

  /**
   * The bytes of an earlier frame, provided by whoever owns the packets (packet store, CLI reader):
   * TCP rebuilds a reassembled PDU from its segments when a frame is dissected again, instead of
   * keeping every PDU's bytes. Without it, TCP keeps a bounded cache of recent PDUs.
   */
  frameData: ((num: number) => Uint8Array | undefined) | null = null;
  /**
   * Preferences by Wireshark's names (`tcp.desegment_tcp_streams`, `tcp.analyze_sequence_numbers`),
   * as tshark's -o sets them; absent means Wireshark's default.
   */
  readonly prefs = new Map<string, boolean | number | string>();
  pref<T extends boolean | number | string>(name: string, dflt: T): T {
    const v = this.prefs.get(name);
    return v === undefined ? dflt : (v as T);
  }

  state<T>(key: string, init: () => T): T {
    let s = this.states.get(key) as T | undefined;
    if (s === undefined) {
      s = init();
      this.states.set(key, s);
    }
    return s;
  }
}
