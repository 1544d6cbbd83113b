// The URLs a student types on this machine or on the lab's second machine: loopback first, then
// the LAN addresses (what `ip addr` would show), IPv4 before IPv6. IPv6 link-local addresses need a
// zone ("%eth0") that browsers do not accept in URLs, so they are left out.

import { networkInterfaces } from 'node:os';

export type HostChoice = 'all' | 'loopback' | string;

function url(address: string, family: 4 | 6, port: number): string {
  const host = family === 6 ? `[${address}]` : address;
  return port === 80 ? `http://${host}/` : `http://${host}:${port}/`;
}

/** @param bound the address actually bound: "::" (dual stack), "0.0.0.0", or one address. */
export function localUrls(bound: string, port: number): string[] {
  const v4Any = bound === '0.0.0.0' || bound === '::';
  const v6Any = bound === '::';
  if (!v4Any && !v6Any) return [url(bound, bound.includes(':') ? 6 : 4, port)];
  const loop: string[] = [];
  const lan4: string[] = [];
  const lan6: string[] = [];
  for (const addrs of Object.values(networkInterfaces())) {
    for (const a of addrs ?? []) {
      if (a.family === 'IPv4') {
        (a.internal ? loop : lan4).push(url(a.address, 4, port));
      } else if (v6Any && !a.address.toLowerCase().startsWith('fe80:')) {
        if (a.internal) loop.push(url(a.address, 6, port));
        else lan6.push(url(a.address, 6, port));
      }
    }
  }
  // 127.0.0.1 before ::1 whatever order the interfaces came in.
  loop.sort((x, y) => Number(x.includes('[')) - Number(y.includes('[')));
  if (loop.length === 0) loop.push(url('127.0.0.1', 4, port));
  return [...new Set([...loop, ...lan4, ...lan6])];
}
