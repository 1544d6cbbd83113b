import { describe, expect, it } from 'vitest';
import { COL_MAX_INFO_LEN, PacketInfo, truncateUtf8 } from '../../../../core/dissect/packet.js';

const utf8Bytes = (s: string): number => new TextEncoder().encode(s).length;

describe('PacketInfo Info column', () => {
  it('keeps the first 4095 bytes, as Wireshark\'s column buffer (corpus DNS frame 5094: 315 KB of names)', () => {
    const p = new PacketInfo();
    p.reset(1, 0, 0, 60, 60, 1, 0, false, true);
    p.setInfo('Unknown operation (15) response 0xc980');
    for (let i = 0; i < 5000; i++) p.appendInfo(' Unknown (507) <Name too long>');
    expect(p.info.length).toBe(COL_MAX_INFO_LEN - 1);
    expect(p.info.startsWith('Unknown operation (15) response 0xc980 Unknown (507)')).toBe(true);
    // Text put in front later pushes the end out, as col_prepend_fstr does.
    p.prependInfo('[TCP Retransmission] ');
    expect(p.info.length).toBe(COL_MAX_INFO_LEN - 1);
    expect(p.info.startsWith('[TCP Retransmission] Unknown operation')).toBe(true);
  });

  it('leaves short text alone and cuts UTF-8 text between characters', () => {
    expect(truncateUtf8('GET / HTTP/1.1', 4095)).toBe('GET / HTTP/1.1');
    const s = 'é'.repeat(3000); // 2 bytes each
    const t = truncateUtf8(s, 4095);
    expect(utf8Bytes(t)).toBe(4094);
    expect(t.length).toBe(2047);
    const emoji = 'a' + '😀'.repeat(2000); // 4 bytes each, a surrogate pair in UTF-16
    const u = truncateUtf8(emoji, 4095);
    expect(utf8Bytes(u)).toBe(1 + 4 * 1023);
    expect(u.endsWith('😀')).toBe(true);
  });
});
