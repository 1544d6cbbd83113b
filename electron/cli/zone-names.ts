// The local time zone's abbreviation as strftime's %Z gives it ("CST" in China, "CET"/"CEST" in
// France), which tshark prints after frame.time. Read from the system's compiled zone file (TZif,
// RFC 8536): TZ if set, else /etc/localtime. Intl alone says "GMT+8" where tshark says "CST".

import { readFileSync } from 'node:fs';

/** UTC offset in seconds -> abbreviation, taken from the zone's transitions in order (latest use wins). */
function parseTzif(b: Buffer): Map<string, string> | null {
  if (b.length < 44 || b.toString('latin1', 0, 4) !== 'TZif') return null;
  const header = (at: number) => ({
    isut: b.readUInt32BE(at + 20), isstd: b.readUInt32BE(at + 24), leap: b.readUInt32BE(at + 28),
    time: b.readUInt32BE(at + 32), type: b.readUInt32BE(at + 36), char: b.readUInt32BE(at + 40),
  });
  let h = header(0);
  let at = 44;
  let timeSize = 4;
  if (b[4] >= 0x32) {
    // Version 2+: skip the 32-bit block, use the 64-bit one that follows.
    at += h.time * 4 + h.time + h.type * 6 + h.char + h.leap * 8 + h.isstd + h.isut;
    h = header(at);
    at += 44;
    timeSize = 8;
  }
  const typesAt = at + h.time * timeSize;
  const ttAt = typesAt + h.time;
  const charsAt = ttAt + h.type * 6;
  if (charsAt + h.char > b.length) return null;
  const abbr = (type: number) => {
    const idx = b[ttAt + type * 6 + 5];
    const end = b.indexOf(0, charsAt + idx);
    return b.toString('latin1', charsAt + idx, end < 0 ? charsAt + h.char : end);
  };
  const key = (type: number) => `${b.readInt32BE(ttAt + type * 6)}/${b[ttAt + type * 6 + 4]}`;
  const out = new Map<string, string>();
  for (let t = 0; t < h.type; t++) if (!out.has(key(t))) out.set(key(t), abbr(t));
  for (let i = 0; i < h.time; i++) {
    const t = b[typesAt + i];
    out.set(key(t), abbr(t));
  }
  return out;
}

/**
 * A provider for core/fields/format.ts setZoneNameProvider, or null when the zone file cannot be read
 * (then Intl's names are used).
 */
export function systemZoneNames(): ((d: Date) => string | undefined) | null {
  const tz = process.env.TZ?.replace(/^:/, '');
  const file = tz ? (tz.startsWith('/') ? tz : `/usr/share/zoneinfo/${tz}`) : '/etc/localtime';
  let table: Map<string, string> | null = null;
  try {
    table = parseTzif(readFileSync(file));
  } catch {
    return null;
  }
  if (table === null) return null;
  const names = table;
  return (d) => {
    const off = -d.getTimezoneOffset() * 60;
    // DST is not in Date's API directly: it is DST when the offset is above the year's smaller one.
    const jan = -new Date(d.getFullYear(), 0, 1).getTimezoneOffset() * 60;
    const jul = -new Date(d.getFullYear(), 6, 1).getTimezoneOffset() * 60;
    const dst = off > Math.min(jan, jul) ? 1 : 0;
    return names.get(`${off}/${dst}`) ?? names.get(`${off}/${1 - dst}`);
  };
}
