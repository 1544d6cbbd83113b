// A batch of live packet records in one ArrayBuffer: what 'capture.packets' carries, so thousands of
// packets cost one message and one transfer, never an object or a message each. Pure (no Node, no
// DOM): written by the main process, read by the renderer's worker straight into the packet store.
//
//   per record, 8-byte aligned:
//     f64 LE  tsSec
//     u32 LE  tsNsec
//     u32 LE  capLen
//     u32 LE  origLen
//     u16 LE  interfaceId
//     u16 LE  linkType
//     capLen bytes of data, padded to a multiple of 8

import type { PacketRecord } from '../../core/capfile/record.js';

const HEAD = 24;
const pad8 = (n: number) => (n + 7) & ~7;

export function batchSize(records: readonly PacketRecord[]): number {
  let n = 0;
  for (const r of records) n += HEAD + pad8(r.capLen);
  return n;
}

export function encodeBatch(records: readonly PacketRecord[]): ArrayBuffer {
  const buf = new ArrayBuffer(batchSize(records));
  const dv = new DataView(buf);
  const u8 = new Uint8Array(buf);
  let p = 0;
  for (const r of records) {
    dv.setFloat64(p, r.tsSec, true);
    dv.setUint32(p + 8, r.tsNsec, true);
    dv.setUint32(p + 12, r.capLen, true);
    dv.setUint32(p + 16, r.origLen, true);
    dv.setUint16(p + 20, r.interfaceId, true);
    dv.setUint16(p + 22, r.linkType, true);
    u8.set(r.data.subarray(0, r.capLen), p + HEAD);
    p += HEAD + pad8(r.capLen);
  }
  return buf;
}

/**
 * Calls `onRecord` for each record of a batch with ONE reused record object whose `data` is a view
 * into the batch (copy what you keep). Returns the number of records; stops at a damaged tail.
 */
export function decodeBatch(buf: ArrayBuffer, onRecord: (r: PacketRecord) => void): number {
  const dv = new DataView(buf);
  const u8 = new Uint8Array(buf);
  const rec: PacketRecord = { tsSec: 0, tsNsec: 0, capLen: 0, origLen: 0, interfaceId: 0, linkType: 0, data: u8.subarray(0, 0), fileOffset: 0 };
  let p = 0;
  let n = 0;
  while (p + HEAD <= buf.byteLength) {
    const capLen = dv.getUint32(p + 12, true);
    if (p + HEAD + capLen > buf.byteLength) break;
    rec.tsSec = dv.getFloat64(p, true);
    rec.tsNsec = dv.getUint32(p + 8, true);
    rec.capLen = capLen;
    rec.origLen = dv.getUint32(p + 16, true);
    rec.interfaceId = dv.getUint16(p + 20, true);
    rec.linkType = dv.getUint16(p + 22, true);
    rec.data = u8.subarray(p + HEAD, p + HEAD + capLen);
    rec.fileOffset = p;
    onRecord(rec);
    n++;
    p += HEAD + pad8(capLen);
  }
  return n;
}
