// "Port already in use" is only useful with the name of the process that holds it. Linux tells us:
// /proc/net/tcp{,6} maps a listening socket (state 0A) on a local port to a socket inode, and
// /proc/PID/fd/* links read "socket:[INODE]" for the process that owns it (what `ss -ltnp` does).
// Other processes' fds are unreadable without privilege; then we say so instead of guessing.

import { readFile, readdir, readlink } from 'node:fs/promises';

export interface PortHolder {
  pid: number;
  command: string;
}

export interface PortHolderResult {
  /** The listening socket was found in /proc/net/tcp{,6}. */
  found: boolean;
  holder?: PortHolder;
}

const TCP_LISTEN = '0A';

async function listeningInodes(port: number): Promise<Set<string>> {
  const inodes = new Set<string>();
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = await readFile(file, 'latin1');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode
      const cols = line.trim().split(/\s+/);
      if (cols.length < 10) continue;
      const local = cols[1]!;
      const localPort = parseInt(local.slice(local.lastIndexOf(':') + 1), 16);
      if (localPort === port && cols[3] === TCP_LISTEN && cols[9] !== '0') inodes.add(cols[9]!);
    }
  }
  return inodes;
}

export async function findPortHolder(port: number): Promise<PortHolderResult> {
  if (process.platform !== 'linux') return { found: false };
  const inodes = await listeningInodes(port);
  if (inodes.size === 0) return { found: false };
  const wanted = new Set([...inodes].map((i) => `socket:[${i}]`));
  let pids: string[];
  try {
    pids = (await readdir('/proc')).filter((d) => /^\d+$/.test(d));
  } catch {
    return { found: true };
  }
  for (const pid of pids) {
    let fds: string[];
    try {
      fds = await readdir(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      let target: string;
      try {
        target = await readlink(`/proc/${pid}/fd/${fd}`);
      } catch {
        continue;
      }
      if (wanted.has(target)) {
        let command = '?';
        try {
          command = (await readFile(`/proc/${pid}/comm`, 'utf8')).trim();
        } catch { /* the process may have just exited */ }
        return { found: true, holder: { pid: Number(pid), command } };
      }
    }
  }
  return { found: true };
}
