// IPsec AH over IPv4 against tshark 4.0.17, on frame 6055 of the public tcpdump test corpus (merged in
// test/integration/read-vs-tshark.test.ts): an AH header whose ICV runs past the captured bytes, so
// the packet ends "[Packet size limited during capture: AH truncated]" after the sequence number.
import { describe, expect, it } from 'vitest';
import { compareHexFrames } from './corpus-frames.js';

const TRUNCATED = '303030303030303030303030080045303030303000003033303030303030303030303330303030303030303030303030';

describe('ah on a corpus frame', () => {
  it('shows the header, the SPI in Info and the truncation as tshark does', () => {
    const r = compareHexFrames([{ hex: TRUNCATED, origLen: 262144 }], ['ah', 'ip.proto', '_ws', 'frame.protocols']);
    expect(r.diffs).toEqual([]);
    expect(r.ours.fields[0].filter((o) => o.name === 'ah.spi').map((o) => o.show)).toEqual(['0x30303030']);
    expect(r.ours.columns[0][3]).toBe('AH (SPI=0x30303030)[Packet size limited during capture]');
  });
});
