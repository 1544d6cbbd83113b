// The shared lab-capture fixture itself (test/support/lab-captures.ts), checked with tshark: the
// captures hold what the lab write-up looked at (the page with the student ID, the PNG with its IHDR
// and sRGB chunks, curl and Chromium as clients, handshakes and FIN teardowns on port 85), and the
// MTU 576 capture really carries small segments.
import { execFileSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { getLabCaptures, type LabCaptures } from '../../support/lab-captures.js';

function fields(file: string, filter: string, ...names: string[]): string[][] {
  const out = execFileSync('tshark', ['-n', '-r', file, '-Y', filter, '-T', 'fields', ...names.flatMap((n) => ['-e', n])],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 64 * 1024 * 1024 });
  return out.split('\n').filter(Boolean).map((l) => l.split('\t'));
}

describe('lab captures (real namespaces, server, curl, Chromium, tcpdump)', () => {
  let caps: LabCaptures;
  beforeAll(async () => { caps = await getLabCaptures(); });

  it('is built once and then served from the cache', async () => {
    const again = await getLabCaptures();
    expect(again.mtu1500.path).toBe(caps.mtu1500.path);
    expect(caps.mtu1500.path).toMatch(/\.tmp\/lab-captures\/[0-9a-f]{16}\/lab-mtu1500\.pcap$/);
  });

  for (const which of ['mtu1500', 'mtu576'] as const) {
    it(`${which}: curl and Chromium fetch the page and the logo over port 85`, () => {
      const c = caps[which];
      const reqs = fields(c.path, 'http.request', 'http.request.uri', 'http.user_agent', 'ip.src', 'tcp.dstport');
      expect(reqs.filter((r) => r[1].startsWith('curl/')).map((r) => r[0])).toEqual(['/', '/logo.png']);
      const chromium = reqs.filter((r) => /HeadlessChrome|Chrome\//.test(r[1])).map((r) => r[0]);
      expect(chromium).toContain('/');
      expect(chromium).toContain('/logo.png');
      for (const r of reqs) expect([r[2], r[3]]).toEqual([c.clientAddr, String(c.port)]);
      expect(fields(c.path, 'http contains "1911406"', 'frame.number').length).toBeGreaterThanOrEqual(2);
      const png = fields(c.path, 'png', 'png.chunk.type');
      expect(png.length).toBeGreaterThanOrEqual(2);
      expect(png[0][0]).toContain('IHDR');
      expect(png[0][0]).toContain('sRGB');
      expect(fields(c.path, 'tcp.flags.syn == 1 && tcp.flags.ack == 0', 'frame.number').length).toBeGreaterThanOrEqual(2);
      expect(fields(c.path, 'tcp.flags.fin == 1', 'frame.number').length).toBeGreaterThanOrEqual(4);
      expect(fields(c.path, 'arp', 'frame.number').length).toBeGreaterThanOrEqual(2);
    });
  }

  it('segments are real: MSS 1460 at MTU 1500, 536 at MTU 576, no segment above it', () => {
    const mss = (f: string) => fields(f, 'tcp.flags.syn == 1', 'tcp.options.mss_val').map((r) => Number(r[0]));
    expect(new Set(mss(caps.mtu1500.path))).toEqual(new Set([1460]));
    expect(new Set(mss(caps.mtu576.path))).toEqual(new Set([536]));
    const lens = fields(caps.mtu576.path, 'tcp.len > 0', 'tcp.len').map((r) => Number(r[0]));
    expect(Math.max(...lens)).toBeLessThanOrEqual(536 - 12); // timestamps option takes 12 bytes of the MSS
    expect(lens.length).toBeGreaterThan(40);
  });
});
