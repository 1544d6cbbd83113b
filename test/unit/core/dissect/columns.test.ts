// Summary lines, expected text copied byte for byte from `tshark -n -r F` (4.0.17) on captures made
// here across a veth pair (198.18.0.0/15): column widths 5/10/12/12, the " → " arrow, no padding after.
import { describe, expect, it } from 'vitest';
import { formatRelativeColumn, formatRelativeTs, precisionDigits, summaryLine } from '../../../../core/dissect/columns.js';
import { AddrType, PacketInfo } from '../../../../core/dissect/packet.js';

function pinfo(num: number, len: number, src: Uint8Array, dst: Uint8Array, type: AddrType, protocol: string, info: string): PacketInfo {
  const p = new PacketInfo();
  p.reset(num, 0, 0, len, len, 1, 0, false, true);
  if (type === AddrType.ETHER) p.setDl({ type, bytes: src }, { type, bytes: dst });
  else p.setNet({ type, bytes: src }, { type, bytes: dst });
  p.protocol = protocol;
  p.setInfo(info);
  return p;
}

describe('summary lines as tshark -n prints them', () => {
  it('IPv4, Ethernet and IPv6 addresses, short and long', () => {
    const v4 = (a: number, b: number, c: number, d: number) => Uint8Array.of(a, b, c, d);
    expect(summaryLine(pinfo(7, 74, v4(198, 18, 0, 2), v4(198, 18, 0, 1), AddrType.IPv4, 'TCP', '52442 → 85 [SYN] Seq=0 Win=64240 Len=0 MSS=1460 SACK_PERM TSval=716851109 TSecr=0 WS=1024'), formatRelativeColumn(974_711_000, 6)))
      .toBe('    7   0.974711   198.18.0.2 → 198.18.0.1   TCP 74 52442 → 85 [SYN] Seq=0 Win=64240 Len=0 MSS=1460 SACK_PERM TSval=716851109 TSecr=0 WS=1024');
    const mac = (s: string) => Uint8Array.from(s.split(':').map((x) => parseInt(x, 16)));
    expect(summaryLine(pinfo(5, 42, mac('fe:27:3e:ed:18:29'), mac('ff:ff:ff:ff:ff:ff'), AddrType.ETHER, 'ARP', 'Who has 198.18.0.1? Tell 198.18.0.2'), formatRelativeColumn(974_696_000, 6)))
      .toBe('    5   0.974696 fe:27:3e:ed:18:29 → ff:ff:ff:ff:ff:ff ARP 42 Who has 198.18.0.1? Tell 198.18.0.2');
    const v6 = (last: number[]) => { const b = new Uint8Array(16); if (last.length) { b[0] = 0xff; b[1] = 0x02; b[15] = last[0]; } return b; };
    expect(summaryLine(pinfo(1, 90, v6([]), v6([0x16]), AddrType.IPv6, 'ICMPv6', 'Multicast Listener Report Message v2'), formatRelativeColumn(0, 6)))
      .toBe('    1   0.000000           :: → ff02::16     ICMPv6 90 Multicast Listener Report Message v2');
  });

  it('time precision follows the file, digits beyond it are cut', () => {
    expect(precisionDigits(1e6)).toBe(6);
    expect(precisionDigits(1e9)).toBe(9);
    expect(formatRelativeColumn(316_017_000, 6)).toBe('0.316017');
    expect(formatRelativeColumn(1_234_567_891, 9)).toBe('1.234567891');
    expect(formatRelativeColumn(1_234_567_891, 6)).toBe('1.234567');
    expect(formatRelativeColumn(-2_000, 6)).toBe('-0.000002');
    // A merged capture whose first packet is stamped 1970 (tshark prints every digit of it).
    expect(formatRelativeTs(1360411452, 421087000, 0, 0, 6)).toBe('1360411452.421087');
    expect(formatRelativeTs(10, 100, 11, 200, 9)).toBe('-1.000000100');
    expect(formatRelativeTs(12, 100, 11, 200, 9)).toBe('0.999999900');
  });
});
