// TCP SEQ/ACK analysis, as Wireshark 4.0's packet-tcp.c tcp_analyze_sequence_number and
// tcp_print_sequence_number_analysis: retransmissions, lost and out-of-order segments, duplicate ACKs,
// window updates, keep-alives, zero windows, ACK RTTs and bytes in flight, flagged on the first pass and
// only read afterwards. Sequence numbers are raw (as Wireshark's analysis sees them); a 0 "nextseq"
// means "nothing seen yet", as in Wireshark.
//
// State is struct-of-arrays: per direction slot (2*stream + dir, see tcp.ts), per frame, and one pool
// of unacknowledged segments (Wireshark's tcp_unacked_t list) shared by all slots, with a free list so
// that ACKed entries are reused: the pool is as large as the most segments ever unacknowledged at once
// (capped per slot at Wireshark's TCP_MAX_UNACKED_SEGMENTS), not as large as the capture.

import { FT, Base, defineFields, type Field } from '../../fields/registry.js';
import type { Ctx } from '../table.js';
import type { PacketInfo } from '../packet.js';
import { ItemFlags, type Item } from '../tree.js';
import type { Tvb } from '../tvb.js';
import { ExpertGroup, ExpertSeverity, addExpert } from '../frame.js';
import { grow } from '../grow.js';

/** Severity of each analysis flag's expert item (packet-tcp.c ei_tcp_analysis_*); the rest are Notes. */
const EXPERT_SEVERITY: Readonly<Record<string, ExpertSeverity>> = {
  'tcp.analysis.out_of_order': ExpertSeverity.WARN,
  'tcp.analysis.lost_segment': ExpertSeverity.WARN,
  'tcp.analysis.ack_lost_segment': ExpertSeverity.WARN,
  'tcp.analysis.window_update': ExpertSeverity.CHAT,
  'tcp.analysis.window_full': ExpertSeverity.WARN,
  'tcp.analysis.zero_window': ExpertSeverity.WARN,
};

/** Wireshark's TCP_A_* analysis flags (packet-tcp.h). */
export const enum TA {
  RETRANSMISSION = 0x0001,
  LOST_PACKET = 0x0002,
  ACK_LOST_PACKET = 0x0004,
  KEEP_ALIVE = 0x0008,
  DUPLICATE_ACK = 0x0010,
  ZERO_WINDOW = 0x0020,
  ZERO_WINDOW_PROBE = 0x0040,
  ZERO_WINDOW_PROBE_ACK = 0x0080,
  KEEP_ALIVE_ACK = 0x0100,
  OUT_OF_ORDER = 0x0200,
  FAST_RETRANSMISSION = 0x0400,
  WINDOW_UPDATE = 0x0800,
  WINDOW_FULL = 0x1000,
  REUSED_PORTS = 0x2000,
  SPURIOUS_RETRANSMISSION = 0x4000,
  /** Ours: the frame has a tcp_acked struct (Wireshark prints [SEQ/ACK analysis] only then). */
  HAS_TA = 0x8000,
}

const TH_FIN = 0x01, TH_SYN = 0x02, TH_RST = 0x04, TH_PUSH = 0x08, TH_ACK = 0x10;
/** packet-tcp.c TCP_MAX_UNACKED_SEGMENTS: stop tracking a direction whose ACKs are not seen. */
const MAX_UNACKED = 10000;

export function defineAnalysisFields(proto: Field) {
  return defineFields(proto, {
    analysis: { abbrev: 'tcp.analysis', name: 'SEQ/ACK analysis', type: FT.NONE, blurb: 'This frame has some of the TCP analysis shown' },
    flags: { abbrev: 'tcp.analysis.flags', name: 'TCP Analysis Flags', type: FT.NONE },
    duplicate_ack: { abbrev: 'tcp.analysis.duplicate_ack', name: 'Duplicate ACK', type: FT.NONE },
    duplicate_ack_num: { abbrev: 'tcp.analysis.duplicate_ack_num', name: 'Duplicate ACK #', type: FT.UINT32, base: Base.DEC },
    duplicate_ack_frame: { abbrev: 'tcp.analysis.duplicate_ack_frame', name: 'Duplicate to the ACK in frame', type: FT.FRAMENUM },
    acks_frame: { abbrev: 'tcp.analysis.acks_frame', name: 'This is an ACK to the segment in frame', type: FT.FRAMENUM },
    bytes_in_flight: { abbrev: 'tcp.analysis.bytes_in_flight', name: 'Bytes in flight', type: FT.UINT32, base: Base.DEC },
    push_bytes_sent: { abbrev: 'tcp.analysis.push_bytes_sent', name: 'Bytes sent since last PSH flag', type: FT.UINT32, base: Base.DEC },
    ack_rtt: { abbrev: 'tcp.analysis.ack_rtt', name: 'The RTT to ACK the segment was', type: FT.RELATIVE_TIME, unit: ' seconds' },
    initial_rtt: { abbrev: 'tcp.analysis.initial_rtt', name: 'iRTT', type: FT.RELATIVE_TIME, unit: ' seconds' },
    rto: { abbrev: 'tcp.analysis.rto', name: 'The RTO for this segment was', type: FT.RELATIVE_TIME, unit: ' seconds' },
    rto_frame: { abbrev: 'tcp.analysis.rto_frame', name: 'RTO based on delta from frame', type: FT.FRAMENUM },
    retransmission: { abbrev: 'tcp.analysis.retransmission', name: 'This frame is a (suspected) retransmission', type: FT.NONE },
    fast_retransmission: { abbrev: 'tcp.analysis.fast_retransmission', name: 'This frame is a (suspected) fast retransmission', type: FT.NONE },
    spurious_retransmission: { abbrev: 'tcp.analysis.spurious_retransmission', name: 'This frame is a (suspected) spurious retransmission', type: FT.NONE },
    out_of_order: { abbrev: 'tcp.analysis.out_of_order', name: 'This frame is a (suspected) out-of-order segment', type: FT.NONE },
    reused_ports: { abbrev: 'tcp.analysis.reused_ports', name: 'A new tcp session is started with the same ports as an earlier session in this trace', type: FT.NONE },
    lost_segment: { abbrev: 'tcp.analysis.lost_segment', name: 'Previous segment(s) not captured (common at capture start)', type: FT.NONE },
    ack_lost_segment: { abbrev: 'tcp.analysis.ack_lost_segment', name: "ACKed segment that wasn't captured (common at capture start)", type: FT.NONE },
    window_update: { abbrev: 'tcp.analysis.window_update', name: 'TCP window update', type: FT.NONE },
    window_full: { abbrev: 'tcp.analysis.window_full', name: 'TCP window specified by the receiver is now completely full', type: FT.NONE },
    keep_alive: { abbrev: 'tcp.analysis.keep_alive', name: 'TCP keep-alive segment', type: FT.NONE },
    keep_alive_ack: { abbrev: 'tcp.analysis.keep_alive_ack', name: 'ACK to a TCP keep-alive segment', type: FT.NONE },
    zero_window_probe: { abbrev: 'tcp.analysis.zero_window_probe', name: 'TCP Zero Window Probe', type: FT.NONE },
    zero_window: { abbrev: 'tcp.analysis.zero_window', name: 'TCP Zero Window segment', type: FT.NONE },
    zero_window_probe_ack: { abbrev: 'tcp.analysis.zero_window_probe_ack', name: 'ACK to a TCP Zero Window Probe', type: FT.NONE },
  });
}
export type AnalysisFields = ReturnType<typeof defineAnalysisFields>;

const gt = (a: number, b: number) => ((a - b) | 0) > 0;
const lt = (a: number, b: number) => ((a - b) | 0) < 0;
const le = (a: number, b: number) => ((a - b) | 0) <= 0;
/**
 * Time from `t` to `now`: packet-tcp.c keeps these differences in a guint64, so a segment timed before
 * the reference (clock steps in the capture) has a huge difference, never a small one.
 */
const since = (now: number, t: number) => { const d = now - t; return d < 0 ? Infinity : d; };


/** Per-direction analysis state (Wireshark's tcp_flow_t / tcp_analyze_seq_flow_info_t). */
class Flows {
  nextseq = new Uint32Array(64);
  nextseqFrame = new Int32Array(64);
  nextseqTime = new Float64Array(64);
  lastack = new Uint32Array(64);
  lastackTime = new Float64Array(64);
  maxseqtobeacked = new Uint32Array(64);
  /** Window as last seen (scaled); -1 before the first segment. */
  window = new Int32Array(64).fill(-1);
  dupacknum = new Int32Array(64);
  lastnondupack = new Int32Array(64);
  lastsegmentflags = new Uint16Array(64);
  validBif = new Uint8Array(64).fill(1);
  pushBytes = new Uint32Array(64);
  pushSetLast = new Uint8Array(64);
  /** Head of the slot's unacked list in the pool (-1: empty) and its length. */
  head = new Int32Array(64).fill(-1);
  count = new Int32Array(64);
  /** SACK blocks (raw, up to 4) the peer last reported about this slot's data. */
  sackLe = new Uint32Array(256);
  sackRe = new Uint32Array(256);
  sackCount = new Uint8Array(64);
  /** Per stream: time of the most recent SYN (NaN: none) and the first RTT (0: unknown). */
  mruSyn = new Float64Array(32).fill(NaN);
  firstRtt = new Float64Array(32);
  /** Per stream: conversation completeness bits (SYN 1, SYN-ACK 2, ACK 4, DATA 8, FIN 16, RST 32). */
  complete = new Uint8Array(32);

  ensure(stream: number): void {
    const n = 2 * stream + 1;
    if (n < this.nextseq.length && stream < this.mruSyn.length) return;
    this.nextseq = grow(this.nextseq, n);
    this.nextseqFrame = grow(this.nextseqFrame, n);
    this.nextseqTime = grow(this.nextseqTime, n);
    this.lastack = grow(this.lastack, n);
    this.lastackTime = grow(this.lastackTime, n);
    this.maxseqtobeacked = grow(this.maxseqtobeacked, n);
    this.window = grow(this.window, n, -1);
    this.dupacknum = grow(this.dupacknum, n);
    this.lastnondupack = grow(this.lastnondupack, n);
    this.lastsegmentflags = grow(this.lastsegmentflags, n);
    this.validBif = grow(this.validBif, n, 1);
    this.pushBytes = grow(this.pushBytes, n);
    this.pushSetLast = grow(this.pushSetLast, n);
    this.head = grow(this.head, n, -1);
    this.sackLe = grow(this.sackLe, 4 * n + 3);
    this.sackRe = grow(this.sackRe, 4 * n + 3);
    this.sackCount = grow(this.sackCount, n);
    this.count = grow(this.count, n);
    this.mruSyn = grow(this.mruSyn, stream, NaN);
    this.firstRtt = grow(this.firstRtt, stream);
    this.complete = grow(this.complete, stream);
  }
}

/** The pool of unacknowledged segments (frame, seq, nextseq, time), linked per slot. */
class Unacked {
  frame = new Int32Array(256);
  seq = new Uint32Array(256);
  nextseq = new Uint32Array(256);
  ts = new Float64Array(256);
  next = new Int32Array(256);
  free = -1;
  used = 0;

  alloc(): number {
    if (this.free >= 0) {
      const i = this.free;
      this.free = this.next[i];
      return i;
    }
    const i = this.used++;
    if (i >= this.frame.length) {
      this.frame = grow(this.frame, i);
      this.seq = grow(this.seq, i);
      this.nextseq = grow(this.nextseq, i);
      this.ts = grow(this.ts, i);
      this.next = grow(this.next, i);
    }
    return i;
  }
  release(i: number): void {
    this.next[i] = this.free;
    this.free = i;
  }
}

/** Per-frame results of the analysis (what tcp_print_sequence_number_analysis shows). */
class FrameResults {
  flags = new Uint16Array(1024);
  acked = new Int32Array(1024);
  rtt = new Float64Array(1024);
  bif = new Uint32Array(1024);
  push = new Uint32Array(1024);
  dupNum = new Int32Array(1024);
  dupFrame = new Int32Array(1024);
  rto = new Float64Array(1024);
  rtoFrame = new Int32Array(1024);
  complete = new Uint8Array(1024);

  ensure(num: number): void {
    if (num < this.flags.length) return;
    this.flags = grow(this.flags, num);
    this.acked = grow(this.acked, num);
    this.rtt = grow(this.rtt, num);
    this.bif = grow(this.bif, num);
    this.push = grow(this.push, num);
    this.dupNum = grow(this.dupNum, num);
    this.dupFrame = grow(this.dupFrame, num);
    this.rto = grow(this.rto, num);
    this.rtoFrame = grow(this.rtoFrame, num);
    this.complete = grow(this.complete, num);
  }
}

export class TcpAnalysis {
  readonly flows = new Flows();
  readonly ual = new Unacked();
  readonly fr = new FrameResults();

  /**
   * Runs the analysis of one segment on the first pass (tcp_analyze_sequence_number). `now` is the
   * frame's time in ns since frame 1; `window` the calculated (scaled) window.
   */
  analyze(num: number, now: number, stream: number, slot: number, rev: number, seq: number, ack: number, seglen: number, flags: number, window: number, reused: boolean): void {
    const F = this.flows, U = this.ual, R = this.fr;
    F.ensure(stream);
    R.ensure(num);
    let ta = reused ? TA.REUSED_PORTS | TA.HAS_TA : 0;
    // Results are only set alongside a flag (HAS_TA at least): a frame without flags has none to clear.
    if (R.flags[num] !== 0) {
      R.acked[num] = 0; R.rtt[num] = 0; R.bif[num] = 0; R.push[num] = 0; R.dupNum[num] = 0; R.dupFrame[num] = 0; R.rto[num] = 0; R.rtoFrame[num] = 0;
    }

    // iRTT (packet-tcp.c: time from the most recent SYN to the first segment that is not a SYN).
    if ((flags & (TH_SYN | TH_ACK)) === TH_SYN) F.mruSyn[stream] = now;
    else if (F.firstRtt[stream] === 0 && !Number.isNaN(F.mruSyn[stream]) && (flags & (TH_SYN | TH_ACK)) === TH_ACK) F.firstRtt[stream] = now - F.mruSyn[stream];

    if (flags & TH_ACK) F.validBif[rev] = 1;

    const nextseqF = F.nextseq[slot];
    let zwp = false;
    // ZERO WINDOW PROBE: one byte at the next expected sequence number while the peer's window is 0.
    if (seglen === 1 && seq === nextseqF && F.window[rev] === 0) {
      ta |= TA.ZERO_WINDOW_PROBE | TA.HAS_TA;
      zwp = true;
    }
    let finishedFwd = zwp;
    if (!finishedFwd) {
      // ZERO WINDOW: window 0 on a segment without SYN/FIN/RST.
      if (window === 0 && (flags & (TH_RST | TH_FIN | TH_SYN)) === 0) ta |= TA.ZERO_WINDOW | TA.HAS_TA;
      // LOST PACKET: beyond the highest sequence number seen, so something in between was missed.
      if (nextseqF !== 0 && gt(seq, nextseqF) && (flags & TH_RST) === 0) {
        ta |= TA.LOST_PACKET | TA.HAS_TA;
        F.validBif[slot] = 0;
      }
      // KEEP ALIVE: 0 or 1 byte one before the next expected sequence number.
      if ((seglen === 0 || seglen === 1) && seq === ((nextseqF - 1) >>> 0) && (flags & (TH_SYN | TH_FIN | TH_RST)) === 0) ta |= TA.KEEP_ALIVE | TA.HAS_TA;
      // WINDOW UPDATE: no data, same SEQ/ACK as before, a new non-zero window.
      if (seglen === 0 && window !== 0 && window !== F.window[slot] && seq === nextseqF && ack === F.lastack[slot] && (flags & (TH_SYN | TH_FIN | TH_RST)) === 0) ta |= TA.WINDOW_UPDATE | TA.HAS_TA;
      // WINDOW FULL: the data reaches the right edge of the window the peer advertised.
      if (seglen > 0 && F.window[rev] >= 0 && ((seq + seglen) >>> 0) === ((F.lastack[rev] + F.window[rev]) >>> 0) && (flags & (TH_SYN | TH_FIN | TH_RST)) === 0) ta |= TA.WINDOW_FULL | TA.HAS_TA;
      // KEEP ALIVE ACK: repeats the previous ACK and window right after a keep-alive from the peer.
      if (seglen === 0 && window !== 0 && window === F.window[slot] && seq === nextseqF && ack === F.lastack[slot] && (F.lastsegmentflags[rev] & TA.KEEP_ALIVE) && (flags & (TH_SYN | TH_FIN | TH_RST)) === 0) {
        ta |= TA.KEEP_ALIVE_ACK | TA.HAS_TA;
        finishedFwd = true;
      }
    }
    if (!finishedFwd) {
      // ZERO WINDOW PROBE ACK.
      if (seglen === 0 && window === 0 && window === F.window[slot] && seq === nextseqF && (ack === F.lastack[slot] || ack === ((F.lastack[slot] + 1) >>> 0)) && (F.lastsegmentflags[rev] & TA.ZERO_WINDOW_PROBE) && (flags & (TH_SYN | TH_FIN | TH_RST)) === 0) {
        ta |= TA.ZERO_WINDOW_PROBE_ACK | TA.HAS_TA;
        finishedFwd = true;
      }
    }
    if (!finishedFwd) {
      // DUPLICATE ACK: no data, same window, SEQ and ACK as the previous segment.
      if (seglen === 0 && window !== 0 && window === F.window[slot] && seq === nextseqF && ack === F.lastack[slot] && (flags & (TH_SYN | TH_FIN | TH_RST)) === 0) {
        F.dupacknum[slot]++;
        ta |= TA.DUPLICATE_ACK | TA.HAS_TA;
        R.dupNum[num] = F.dupacknum[slot];
        R.dupFrame[num] = F.lastnondupack[slot];
      }
    }
    // finished_fwd:
    if ((ta & TA.DUPLICATE_ACK) === 0) {
      // tshark 4.0 names as the original of a duplicate ACK the segment that last moved the ACK
      // number, not a later data or FIN segment repeating it (corpus frames 8927, 8933).
      if (ack !== F.lastack[slot] || F.lastnondupack[slot] === 0) F.lastnondupack[slot] = num;
      F.dupacknum[slot] = 0;
    }
    // ACKED LOST PACKET: acknowledges data beyond what was seen in the other direction.
    if (F.maxseqtobeacked[rev] !== 0 && gt(ack, F.maxseqtobeacked[rev]) && (flags & TH_ACK)) {
      ta |= TA.ACK_LOST_PACKET | TA.HAS_TA;
      F.maxseqtobeacked[rev] = F.nextseq[rev];
    }

    // RETRANSMISSION / FAST RETRANSMISSION / SPURIOUS / OUT-OF-ORDER.
    if ((seglen > 0 || (flags & (TH_SYN | TH_FIN))) && !(ta & TA.KEEP_ALIVE)) {
      let notAdvanced = nextseqF !== 0 && lt(seq, nextseqF);
      // A segment starting one byte before nextseq that adds data follows a zero window probe.
      if (seglen > 1 && ((nextseqF - 1) >>> 0) === seq) notAdvanced = false;
      let done = false;
      // tcp.fastrt_supersedes_ooo (default TRUE): fast retransmission is checked before out-of-order.
      if (notAdvanced && F.dupacknum[rev] >= 2 && F.lastack[rev] === seq && since(now, F.lastackTime[rev]) < 20e6) {
        ta |= TA.FAST_RETRANSMISSION | TA.HAS_TA;
        done = true;
      }
      if (!done) {
        const thres = F.firstRtt[stream] === 0 ? 3e6 : F.firstRtt[stream];
        // SYN and FIN take a sequence number: a repeated SYN/ACK ends exactly at nextseq (not out of order).
        const end = (seq + seglen + (flags & (TH_SYN | TH_FIN) ? 1 : 0)) >>> 0;
        if (notAdvanced && since(now, F.nextseqTime[slot]) < thres && nextseqF !== end) {
          ta |= TA.OUT_OF_ORDER | TA.HAS_TA;
          done = true;
        }
      }
      if (!done && notAdvanced && seglen > 0 && F.lastack[rev] !== 0 && le((seq + seglen) >>> 0, F.lastack[rev])) {
        ta |= TA.SPURIOUS_RETRANSMISSION | TA.HAS_TA;
        done = true;
      }
      if (!done && notAdvanced) {
        ta |= TA.RETRANSMISSION | TA.HAS_TA;
        // packet-tcp.c (4.0): the RTO runs from the eldest segment still in the unacked list (new
        // segments are prepended, so it is the list's tail), else from the one that last advanced
        // nextseq.
        let best = -1;
        for (let v = F.head[slot]; v >= 0; v = U.next[v]) best = v;
        R.rto[num] = now - (best >= 0 ? U.ts[best] : F.nextseqTime[slot]);
        R.rtoFrame[num] = best >= 0 ? U.frame[best] : F.nextseqFrame[slot];
      }
    }

    let nextseq = (seq + seglen) >>> 0;
    if ((seglen > 0 || (flags & (TH_SYN | TH_FIN))) && F.count[slot] < MAX_UNACKED) {
      const u = U.alloc();
      U.next[u] = F.head[slot];
      F.head[slot] = u;
      F.count[slot]++;
      U.frame[u] = num;
      U.seq[u] = seq;
      U.ts[u] = now;
      if (flags & (TH_SYN | TH_FIN)) nextseq = (nextseq + 1) >>> 0;
      U.nextseq[u] = nextseq;
    }
    // The highest sequence number seen moves (and its time), except for zero window probes.
    if (gt(nextseq, F.nextseq[slot]) || F.nextseq[slot] === 0) {
      if (!(ta & TA.ZERO_WINDOW_PROBE)) {
        F.nextseq[slot] = nextseq;
        F.nextseqFrame[slot] = num;
        F.nextseqTime[slot] = now;
      }
    }
    // The highest contiguous sequence number, for "ACKed unseen segment".
    if (seq === F.maxseqtobeacked[slot] || F.maxseqtobeacked[slot] === 0) {
      if (!(ta & TA.ZERO_WINDOW_PROBE)) F.maxseqtobeacked[slot] = F.nextseq[slot];
    }
    F.window[slot] = window;
    F.lastack[slot] = ack;
    F.lastackTime[slot] = now;
    F.lastsegmentflags[slot] = ta & ~TA.HAS_TA;

    // Remove what this ACKs from the other direction's list; an exact match gives acks_frame and RTT.
    let prev = -1;
    let u = F.head[rev];
    while (u >= 0) {
      if (ack === U.nextseq[u]) {
        ta |= TA.HAS_TA;
        R.acked[num] = U.frame[u];
        R.rtt[num] = now - U.ts[u];
      } else if (gt(ack, U.seq[u]) && le(ack, U.nextseq[u])) {
        U.seq[u] = ack;
        continue;
      } else if (gt(U.nextseq[u], ack)) {
        prev = u;
        u = U.next[u];
        continue;
      }
      const nx = U.next[u];
      if (prev < 0) F.head[rev] = nx;
      else U.next[prev] = nx;
      U.release(u);
      F.count[rev]--;
      u = nx;
    }

    // Bytes in flight after this segment, and bytes since the last PSH.
    u = F.head[slot];
    if (seglen !== 0 && u >= 0 && F.validBif[slot]) {
      const base = 0;
      let first = (U.seq[u] - base) >>> 0, last = (U.nextseq[u] - base) >>> 0;
      for (; u >= 0; u = U.next[u]) {
        if (gt(U.nextseq[u], last)) last = U.nextseq[u];
        if (lt(U.seq[u], first)) first = U.seq[u];
      }
      // SACKed ranges the peer reported last are not in flight (Wireshark 4.0 subtracts them).
      let sacked = 0;
      const ns = F.sackCount[slot];
      for (let k = 0; k < ns; k++) {
        const a = F.sackLe[slot * 4 + k], b = F.sackRe[slot * 4 + k];
        const lo = gt(a, first) ? a : first, hi = lt(b, last) ? b : last;
        if (gt(hi, lo)) sacked += (hi - lo) >>> 0;
      }
      // tshark 4.0 counts one byte less for a segment carrying SYN or FIN (corpus frames 4746, 8928,
      // 9018): the sequence number those flags take is not data in flight.
      const inFlight = ((last - first) >>> 0) - sacked - (flags & (TH_SYN | TH_FIN) ? 1 : 0);
      if (inFlight > 0 && inFlight < 2000000000) {
        ta |= TA.HAS_TA;
        R.bif[num] = inFlight;
      }
      if (flags & TH_PUSH) {
        F.pushBytes[slot] = F.pushSetLast[slot] ? seglen : F.pushBytes[slot] + seglen;
        F.pushSetLast[slot] = 1;
      } else if (F.pushSetLast[slot]) {
        F.pushBytes[slot] = seglen;
        F.pushSetLast[slot] = 0;
      } else {
        F.pushBytes[slot] += seglen;
      }
      ta |= TA.HAS_TA;
      R.push[num] = F.pushBytes[slot];
    }
    R.flags[num] = ta;
  }

  /** Records the SACK blocks of a segment sent from `slot` (they are about the data of `rev`). */
  noteSack(stream: number, rev: number, blocks: readonly number[]): void {
    const F = this.flows;
    F.ensure(stream);
    const n = Math.min(4, blocks.length >> 1);
    for (let k = 0; k < n; k++) {
      F.sackLe[rev * 4 + k] = blocks[2 * k];
      F.sackRe[rev * 4 + k] = blocks[2 * k + 1];
    }
    F.sackCount[rev] = n;
  }

  /**
   * Conversation completeness on the first pass: the frame shows what was known before it (tshark 4.0
   * shows it one frame late in a single pass), then its own flags are added.
   */
  noteCompleteness(num: number, stream: number, flags: number, seglen: number, first: boolean, reused: boolean): void {
    const F = this.flows, R = this.fr;
    F.ensure(stream);
    R.ensure(num);
    // What tshark 4.0 shows (corpus streams 33, 72, 102, 141): a stream's first segment counts only
    // when it is a SYN; and the SYN that reuses a 4-tuple shows its own SYN bit already.
    if (first && !(flags & TH_SYN)) {
      R.complete[num] = F.complete[stream];
      return;
    }
    if (reused && (flags & TH_SYN) && !(flags & TH_ACK)) F.complete[stream] |= 1;
    R.complete[num] = F.complete[stream];
    if (flags & TH_SYN) F.complete[stream] |= flags & TH_ACK ? 2 : 1;
    // ACK counts only on a segment without data (corpus streams 71, 78, 103: data with ACK set adds DATA alone).
    else if ((flags & TH_ACK) && seglen === 0) F.complete[stream] |= 4;
    if (seglen > 0) F.complete[stream] |= 8;
    if (flags & TH_FIN) F.complete[stream] |= 16;
    if (flags & TH_RST) F.complete[stream] |= 32;
  }

  /**
   * print's Info markers alone, for passes that build no tree (summary lines): the same markers in the
   * same order, without the items and their closures.
   */
  printInfo(pinfo: PacketInfo, num: number): number {
    const R = this.fr;
    if (num >= R.flags.length) return 0;
    const ta = R.flags[num];
    if (!(ta & TA.HAS_TA) || (ta & ~TA.HAS_TA) === 0 || !pinfo.columns) return ta;
    if (ta & TA.REUSED_PORTS) pinfo.prependInfoFence('[TCP Port numbers reused] ');
    if (ta & TA.SPURIOUS_RETRANSMISSION) pinfo.prependInfoFence('[TCP Spurious Retransmission] ');
    if (ta & TA.RETRANSMISSION) pinfo.prependInfoFence('[TCP Retransmission] ');
    if (ta & TA.FAST_RETRANSMISSION) pinfo.prependInfoFence('[TCP Fast Retransmission] ');
    if (ta & TA.OUT_OF_ORDER) pinfo.prependInfoFence('[TCP Out-Of-Order] ');
    if (ta & TA.LOST_PACKET) pinfo.prependInfoFence('[TCP Previous segment not captured] ');
    if (ta & TA.ACK_LOST_PACKET) pinfo.prependInfoFence('[TCP ACKed unseen segment] ');
    if (ta & TA.WINDOW_UPDATE) pinfo.prependInfoFence('[TCP Window Update] ');
    if (ta & TA.WINDOW_FULL) pinfo.prependInfoFence('[TCP Window Full] ');
    if (ta & TA.KEEP_ALIVE) pinfo.prependInfoFence('[TCP Keep-Alive] ');
    if (ta & TA.KEEP_ALIVE_ACK) pinfo.prependInfoFence('[TCP Keep-Alive ACK] ');
    if (R.dupNum[num] && (ta & TA.DUPLICATE_ACK)) pinfo.prependInfoFence(`[TCP Dup ACK ${R.dupFrame[num]}#${R.dupNum[num]}] `);
    if (ta & TA.ZERO_WINDOW_PROBE) pinfo.prependInfoFence('[TCP ZeroWindowProbe] ');
    if (ta & TA.ZERO_WINDOW) pinfo.prependInfoFence('[TCP ZeroWindow] ');
    if (ta & TA.ZERO_WINDOW_PROBE_ACK) pinfo.prependInfoFence('[TCP ZeroWindowProbeAck] ');
    return ta;
  }

  /** Adds [SEQ/ACK analysis] and the Info markers (tcp_print_sequence_number_analysis). */
  print(ctx: Ctx, tvb: Tvb, top: Item, hf: AnalysisFields, num: number, stream: number): number {
    const { tree, pinfo } = ctx;
    const R = this.fr;
    if (num >= R.flags.length) return 0;
    const ta = R.flags[num];
    if (!(ta & TA.HAS_TA)) return ta;
    const G = ItemFlags.GENERATED;
    const at = tree.add(top, hf.analysis, tvb, 0, 0, null, G);
    if (tree.full) tree.setText(at, '[SEQ/ACK analysis]');
    if (R.acked[num]) {
      tree.add(at, hf.acks_frame, tvb, 0, 0, R.acked[num], G);
      // Both times are frame times, so beyond 104 days (where a double drops nanoseconds) they are
      // taken again exactly from the two frames.
      if (R.rtt[num] !== 0) tree.add(at, hf.ack_rtt, tvb, 0, 0, exact(ctx, R.rtt[num], num, R.acked[num]), G);
    }
    // iRTT: the stream's value as known now (a single pass shows it from the handshake's ACK on).
    const irtt = this.flows.firstRtt[stream];
    if (irtt !== 0) tree.add(at, hf.initial_rtt, tvb, 0, 0, irtt, G);
    if (R.bif[num]) tree.add(at, hf.bytes_in_flight, tvb, 0, 0, R.bif[num], G);
    if (R.push[num]) tree.add(at, hf.push_bytes_sent, tvb, 0, 0, R.push[num], G);
    if ((ta & ~TA.HAS_TA) === 0) return ta;
    const ft = tree.add(at, hf.flags, tvb, 0, 0, null, G);
    if (tree.full) tree.setText(ft, '[TCP Analysis Flags]');
    const flag = (field: Field, text: string, info: string) => {
      addExpert(ctx, ft, tvb, 0, 0, { field, severity: EXPERT_SEVERITY[field.abbrev] ?? ExpertSeverity.NOTE, group: ExpertGroup.SEQUENCE }, text);
      if (pinfo.columns && info) pinfo.prependInfoFence(info);
    };
    if (ta & TA.REUSED_PORTS) flag(hf.reused_ports, 'A new tcp session is started with the same ports as an earlier session in this trace', '[TCP Port numbers reused] ');
    if (ta & TA.SPURIOUS_RETRANSMISSION) {
      // As with fast retransmissions, tshark 4.0 adds the plain retransmission item too.
      flag(hf.spurious_retransmission, 'This frame is a (suspected) spurious retransmission', '[TCP Spurious Retransmission] ');
      flag(hf.retransmission, 'This frame is a (suspected) retransmission', '');
    }
    if (ta & TA.RETRANSMISSION) {
      flag(hf.retransmission, 'This frame is a (suspected) retransmission', '[TCP Retransmission] ');
      // packet-tcp.c adds the RTO items only when the RTO is not zero.
      if (R.rtoFrame[num] && R.rto[num] !== 0) {
        tree.add(ft, hf.rto, tvb, 0, 0, exact(ctx, R.rto[num], num, R.rtoFrame[num]), G);
        tree.add(ft, hf.rto_frame, tvb, 0, 0, R.rtoFrame[num], G);
      }
    }
    if (ta & TA.FAST_RETRANSMISSION) {
      // Wireshark 4.0 flags a fast retransmission as a retransmission too (both items, one marker).
      flag(hf.fast_retransmission, 'This frame is a (suspected) fast retransmission', '[TCP Fast Retransmission] ');
      flag(hf.retransmission, 'This frame is a (suspected) retransmission', '');
    }
    if (ta & TA.OUT_OF_ORDER) flag(hf.out_of_order, 'This frame is a (suspected) out-of-order segment', '[TCP Out-Of-Order] ');
    if (ta & TA.LOST_PACKET) flag(hf.lost_segment, 'Previous segment(s) not captured (common at capture start)', '[TCP Previous segment not captured] ');
    if (ta & TA.ACK_LOST_PACKET) flag(hf.ack_lost_segment, "ACKed segment that wasn't captured (common at capture start)", '[TCP ACKed unseen segment] ');
    if (ta & TA.WINDOW_UPDATE) flag(hf.window_update, 'TCP window update', '[TCP Window Update] ');
    if (ta & TA.WINDOW_FULL) flag(hf.window_full, 'TCP window specified by the receiver is now completely full', '[TCP Window Full] ');
    if (ta & TA.KEEP_ALIVE) flag(hf.keep_alive, 'TCP keep-alive segment', '[TCP Keep-Alive] ');
    if (ta & TA.KEEP_ALIVE_ACK) flag(hf.keep_alive_ack, 'ACK to a TCP keep-alive segment', '[TCP Keep-Alive ACK] ');
    if (R.dupNum[num]) {
      // packet-tcp.c: a plain "This is a TCP duplicate ack" item under the flags, and the expert item
      // ("Duplicate ACK (#n)", same field) under the frame it duplicates: the field occurs twice.
      if (ta & TA.DUPLICATE_ACK) {
        const d = tree.add(ft, hf.duplicate_ack, tvb, 0, 0, null, G);
        if (tree.full) tree.setText(d, 'This is a TCP duplicate ack');
        if (pinfo.columns) pinfo.prependInfoFence(`[TCP Dup ACK ${R.dupFrame[num]}#${R.dupNum[num]}] `);
      }
      tree.add(at, hf.duplicate_ack_num, tvb, 0, 0, R.dupNum[num], G);
      const df = tree.add(at, hf.duplicate_ack_frame, tvb, 0, 0, R.dupFrame[num], G);
      addExpert(ctx, df, tvb, 0, 0, { field: hf.duplicate_ack, severity: ExpertSeverity.NOTE, group: ExpertGroup.SEQUENCE }, `Duplicate ACK (#${R.dupNum[num]})`);
    }
    if (ta & TA.ZERO_WINDOW_PROBE) flag(hf.zero_window_probe, 'TCP Zero Window Probe', '[TCP ZeroWindowProbe] ');
    if (ta & TA.ZERO_WINDOW) flag(hf.zero_window, 'TCP Zero Window segment', '[TCP ZeroWindow] ');
    if (ta & TA.ZERO_WINDOW_PROBE_ACK) flag(hf.zero_window_probe_ack, 'ACK to a TCP Zero Window Probe', '[TCP ZeroWindowProbeAck] ');
    return ta;
  }
}

/** `ns` (a difference of the times of frames `a` and `b`), exact when a double cannot hold it. */
function exact(ctx: Ctx, ns: number, a: number, b: number): number | bigint {
  return Math.abs(ns) < 9e15 ? ns : ctx.capture.exactDeltaNs(a, b);
}
