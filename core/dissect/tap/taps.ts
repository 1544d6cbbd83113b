// Taps (Wireshark's tap listeners): consumers that want to see what dissectors found, on the first
// pass, without the dissectors knowing them. Follow TCP stream and Export HTTP objects use these.
import type { Address } from '../packet.js';

/** One TCP segment's payload as TCP saw it on the first pass. */
export interface TcpSegmentTap {
  frame: number;
  stream: number;
  src: Address;
  srcPort: number;
  dst: Address;
  dstPort: number;
  /** Relative sequence number of the first payload byte. */
  seq: number;
  /** Relative acknowledgement number, or -1 without the ACK flag. */
  ack: number;
  /** A view valid only during the call: copy what you keep. */
  payload: Uint8Array;
}

/** One HTTP message body, de-chunked and decoded, as HTTP finished it. */
export interface HttpObjectTap {
  frame: number;
  stream: number;
  host: string;
  /** The request URI this response answers ('' when unknown). */
  uri: string;
  contentType: string;
  /** A view valid only during the call: copy what you keep. */
  body: Uint8Array;
}

export const taps = {
  tcp: new Set<(t: TcpSegmentTap) => void>(),
  httpObject: new Set<(t: HttpObjectTap) => void>(),
};
