// Two network namespaces joined by a veth pair: the test bench for real traffic that never leaves the
// machine. Addresses come from 198.18.0.0/15 (RFC 2544's benchmark range), so nothing here can reach a
// real network; segmentation offloads are turned off on both ends (ethtool -K tso/gso/gro off) so that
// what tcpdump sees is what the wire would carry (real MSS-sized segments, not 64 KB super-packets).
//
//   const pair = await createNetnsPair('nlD-a', { mtu: 576 });   // namespaces nlD-a-s / nlD-a-c
//   try {
//     const srv = nsSpawn(pair.server, 'node', ['server.mjs']);
//     await nsExec(pair.client, 'curl', ['-s', `http://${pair.serverAddr}:85/`]);
//   } finally {
//     await deleteNetnsPair(pair);   // kills what still runs inside, deletes both namespaces
//   }
//
// Names must start with the caller's prefix (nlA…nlH) and be at most 10 characters, because the
// interface names derived from them ("<name>-vs") must fit Linux's 15-character limit.

import { type ChildProcess, type SpawnOptions, execFile, spawn } from 'node:child_process';

export interface NetnsPair {
  name: string;
  /** Namespace with the server end (interface serverIf, address serverAddr). */
  server: string;
  client: string;
  serverIf: string;
  clientIf: string;
  serverAddr: string;
  clientAddr: string;
  mtu: number;
}

export interface NetnsOptions {
  /** MTU of both veth ends (default 1500). */
  mtu?: number;
  /** Third octet of the /24 inside 198.18.0.0/15 (default 0): 198.18.<n>.1 and .2. */
  subnet?: number;
  /** Keep IPv6 on (router/neighbour discovery noise); off by default so captures are deterministic. */
  ipv6?: boolean;
}

export interface ExecResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command (no shell) and resolves with its exit code and output; never rejects on exit != 0. */
export function run(cmd: string, args: string[], opts: { timeoutMs?: number; input?: string } = {}): Promise<ExecResult> {
  return new Promise((resolve) => {
    const child = execFile(cmd, args, { timeout: opts.timeoutMs ?? 60_000, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1) : 0;
      resolve({ code, stdout: String(stdout), stderr: String(stderr) + (err && code === 1 && !stderr ? err.message : '') });
    });
    if (opts.input !== undefined) child.stdin?.end(opts.input);
  });
}

async function must(cmd: string, args: string[]): Promise<string> {
  const r = await run(cmd, args);
  if (r.code !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (exit ${r.code}): ${r.stderr.trim()}`);
  return r.stdout;
}

/** Runs `cmd` inside namespace `ns` and waits for it. */
export function nsExec(ns: string, cmd: string, args: string[], opts: { timeoutMs?: number; input?: string } = {}): Promise<ExecResult> {
  return run('ip', ['netns', 'exec', ns, cmd, ...args], opts);
}

/** Starts `cmd` inside namespace `ns` (a long-running server, tcpdump…); the caller stops it. */
export function nsSpawn(ns: string, cmd: string, args: string[], opts: SpawnOptions = {}): ChildProcess {
  return spawn('ip', ['netns', 'exec', ns, cmd, ...args], { stdio: ['ignore', 'pipe', 'pipe'], ...opts });
}

async function deleteNs(ns: string): Promise<void> {
  const list = await run('ip', ['netns', 'list']);
  if (!list.stdout.split('\n').some((l) => l.split(' ')[0] === ns)) return;
  // Processes left inside would keep the namespace's network alive after the name is gone.
  const pids = await run('ip', ['netns', 'pids', ns]);
  for (const p of pids.stdout.split(/\s+/).filter(Boolean)) {
    try { process.kill(Number(p), 'SIGKILL'); } catch { /* already gone */ }
  }
  await run('ip', ['netns', 'del', ns]);
}

export async function deleteNetnsPair(pair: Pick<NetnsPair, 'server' | 'client'>): Promise<void> {
  await deleteNs(pair.server);
  await deleteNs(pair.client);
}

/** Creates (after removing any leftover of the same name) the two namespaces and the veth pair. */
export async function createNetnsPair(name: string, opts: NetnsOptions = {}): Promise<NetnsPair> {
  if (!/^nl[A-H][A-Za-z0-9-]{0,7}$/.test(name)) {
    throw new Error(`netns name "${name}" must start with your prefix (nlA..nlH) and be at most 10 characters`);
  }
  const mtu = opts.mtu ?? 1500;
  const subnet = opts.subnet ?? 0;
  const pair: NetnsPair = {
    name, server: `${name}-s`, client: `${name}-c`, serverIf: `${name}-vs`, clientIf: `${name}-vc`,
    serverAddr: `198.18.${subnet}.1`, clientAddr: `198.18.${subnet}.2`, mtu,
  };
  await deleteNetnsPair(pair);
  await run('ip', ['link', 'del', pair.serverIf]); // a veth left in the root namespace by a crash
  try {
    await must('ip', ['netns', 'add', pair.server]);
    await must('ip', ['netns', 'add', pair.client]);
    await must('ip', ['link', 'add', pair.serverIf, 'mtu', String(mtu), 'type', 'veth', 'peer', 'name', pair.clientIf, 'mtu', String(mtu)]);
    await must('ip', ['link', 'set', pair.serverIf, 'netns', pair.server]);
    await must('ip', ['link', 'set', pair.clientIf, 'netns', pair.client]);
    for (const [ns, ifc, addr] of [[pair.server, pair.serverIf, pair.serverAddr], [pair.client, pair.clientIf, pair.clientAddr]]) {
      if (!opts.ipv6) {
        await must('ip', ['netns', 'exec', ns, 'sysctl', '-q', '-w', 'net.ipv6.conf.all.disable_ipv6=1']);
        await must('ip', ['netns', 'exec', ns, 'sysctl', '-q', '-w', 'net.ipv6.conf.default.disable_ipv6=1']);
      }
      // tshark decodes TCP by the lower port, then the higher: an ephemeral port some Wireshark
      // dissector registers (pcp 44321, pmproxy 44322, ...) would turn the lab's HTTP into that
      // protocol. tshark 4.0 registers no tcp.port in 35000-44000.
      await must('ip', ['netns', 'exec', ns, 'sysctl', '-q', '-w', 'net.ipv4.ip_local_port_range=35000 44000']);
      await must('ip', ['-n', ns, 'addr', 'add', `${addr}/24`, 'dev', ifc]);
      await must('ip', ['-n', ns, 'link', 'set', 'lo', 'up']);
      await must('ip', ['-n', ns, 'link', 'set', ifc, 'up']);
      // Some offloads cannot be changed on veth; the three that matter can.
      await must('ip', ['netns', 'exec', ns, 'ethtool', '-K', ifc, 'tso', 'off', 'gso', 'off', 'gro', 'off']);
    }
  } catch (e) {
    await deleteNetnsPair(pair);
    throw e;
  }
  return pair;
}

/** Creates a pair, runs `fn`, and deletes the pair whatever happens. */
export async function withNetnsPair<T>(name: string, opts: NetnsOptions, fn: (pair: NetnsPair) => Promise<T>): Promise<T> {
  const pair = await createNetnsPair(name, opts);
  try {
    return await fn(pair);
  } finally {
    await deleteNetnsPair(pair);
  }
}

/** Waits until `child` writes `text` to stderr or stdout (tcpdump's "listening on"), or fails after `ms`. */
export function waitForOutput(child: ChildProcess, text: string, ms = 10_000): Promise<void> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for "${text}"; output so far: ${seen.slice(-500)}`)), ms);
    const on = (d: Buffer) => {
      seen += String(d);
      if (seen.includes(text)) { clearTimeout(timer); resolve(); }
    };
    child.stdout?.on('data', on);
    child.stderr?.on('data', on);
    child.once('exit', (code) => { clearTimeout(timer); if (!seen.includes(text)) reject(new Error(`exited (${code}) before "${text}": ${seen.slice(-500)}`)); });
  });
}

/** Sends `signal` and waits for the process to exit (SIGKILL after `ms`). */
export function stopProcess(child: ChildProcess, signal: NodeJS.Signals = 'SIGINT', ms = 5000): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) { resolve(); return; }
    const timer = setTimeout(() => { child.kill('SIGKILL'); }, ms);
    child.once('exit', () => { clearTimeout(timer); resolve(); });
    child.kill(signal);
  });
}
