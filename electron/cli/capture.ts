// `netlab capture`: live capture through the capture helper, with tshark's flags and meanings:
//   -i IFACE (name or the number 'netlab interfaces' shows), -f BPF, -w FILE, -F pcapng|pcap,
//   -c COUNT, -a duration:SECONDS, -p (no promiscuous mode), -s SNAPLEN, -B MiB, -q.
// Like tshark it says "Capturing on 'IFACE'" and, at the end, how many packets were captured and
// dropped, on stderr. Ctrl-C stops cleanly. If the helper dies, the error is reported and every packet
// received before is kept (in FILE, or in the spool whose path is printed).
import { rmSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { CaptureError } from '../services/capture/capture-error.js';
import { startCapture, type CaptureOptions, type CaptureSummary } from '../services/capture/capture-supervisor.js';
import { saveCapture } from '../services/capture/save-capture.js';
import { listInterfaces } from './interfaces.js';

const HELP = `Usage: netlab capture -i IFACE [options]

  -i IFACE               interface name, or its number in 'netlab interfaces'
  -f FILTER              capture filter in libpcap (tcpdump) syntax
  -w FILE                write packets to FILE (as they arrive for pcapng)
  -F pcapng|pcap         output file type (default pcapng)
  -c COUNT               stop after COUNT packets
  -a duration:SECONDS    stop after SECONDS seconds
  -p                     don't put the interface in promiscuous mode
  -s SNAPLEN             bytes kept of each packet (default 262144)
  -B MIB                 kernel capture buffer in MiB (default 16)
  -q                     don't print the packet count while capturing
  --in-process           capture in this process (libpcap addon) instead of the helper; needs
                         capture rights for node itself: meant for tests run as root`;

function fail(message: string, hint: string, code: string, status = 2): number {
  console.error(`netlab capture: ${message}\n  hint: ${hint} (${code})`);
  return status;
}

function parseCount(v: string | undefined, what: string): number | undefined | Error {
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v) || Number(v) <= 0) return new Error(`${what} must be a positive whole number, not "${v}"`);
  return Number(v);
}

export async function run(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        i: { type: 'string' }, f: { type: 'string' }, w: { type: 'string' }, F: { type: 'string' },
        c: { type: 'string' }, a: { type: 'string', multiple: true }, p: { type: 'boolean' },
        s: { type: 'string' }, B: { type: 'string' }, q: { type: 'boolean' },
        'in-process': { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (err) {
    return fail((err as Error).message, "Run 'netlab capture --help'.", 'ERR_CAPTURE_ARGS');
  }
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  if (!values.i) return fail('no interface given (-i).', "Pick one from 'netlab interfaces'.", 'ERR_CAPTURE_ARGS');
  const format = values.F ?? 'pcapng';
  if (format !== 'pcapng' && format !== 'pcap') {
    return fail(`"${format}" isn't a supported output file type.`, 'Use -F pcapng or -F pcap.', 'ERR_CAPTURE_ARGS');
  }
  if (values.w === '-') return fail('writing to standard output is not supported.', 'Give a file name to -w.', 'ERR_CAPTURE_ARGS');
  const count = parseCount(values.c, '-c');
  const snaplen = parseCount(values.s, '-s');
  const buffer = parseCount(values.B, '-B');
  for (const v of [count, snaplen, buffer]) if (v instanceof Error) return fail(v.message, "Run 'netlab capture --help'.", 'ERR_CAPTURE_ARGS');
  let durationSec: number | undefined;
  for (const cond of values.a ?? []) {
    const m = /^duration:(\d+(?:\.\d+)?)$/.exec(cond);
    if (!m) return fail(`"${cond}" isn't an autostop condition netlab knows.`, 'Use -a duration:SECONDS.', 'ERR_CAPTURE_ARGS');
    durationSec = Number(m[1]);
  }
  let device = values.i;
  if (/^\d+$/.test(device)) {
    // tshark -i N: the Nth interface of -D.
    try {
      const list = listInterfaces();
      const hit = list[Number(device) - 1];
      if (!hit) return fail(`there is no interface number ${device}.`, "Run 'netlab interfaces' for the list.", 'ERR_CAPTURE_NO_DEVICE');
      device = hit.name;
    } catch (err) {
      const e = err as CaptureError;
      return fail(e.message, e.hint, e.code, 1);
    }
  }

  const opts: CaptureOptions = {
    device,
    filter: values.f,
    snaplen: snaplen as number | undefined,
    promisc: values.p ? false : true,
    bufferMiB: buffer as number | undefined,
    count: count as number | undefined,
    durationSec,
    engine: values['in-process'] ? 'addon' : 'helper',
  };
  // pcapng output is the spool itself, written as packets arrive; pcap is converted at the end.
  if (values.w && format === 'pcapng') opts.spoolPath = values.w;

  let session;
  try {
    session = await startCapture(opts);
  } catch (err) {
    const e = CaptureError.from(err, 'ERR_CAPTURE_OPEN', 'Check the interface name and filter.');
    return fail(e.message, e.hint, e.code, 1);
  }
  console.error(`Capturing on '${device}'`);
  const stop = (): void => void session.stop();
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  let shown = 0;
  const live = !values.q && !values.w && process.stderr.isTTY;
  session.on('records', (ev) => {
    if (live && ev.first + ev.count - shown >= 1) {
      shown = ev.first + ev.count;
      process.stderr.write(`\r${shown} `);
    }
  });
  const summary: CaptureSummary = await session.done;
  process.off('SIGINT', stop);
  process.off('SIGTERM', stop);
  if (live) process.stderr.write('\r');
  let status = 0;
  if (summary.error) {
    const e = summary.error;
    console.error(`netlab capture: ${e.message}\n  hint: ${e.hint} (${e.code})`);
    if (!values.w) console.error(`  the ${summary.packets} packets captured so far are in ${summary.spoolPath}`);
    status = 1;
  }
  if (values.w && format === 'pcap') {
    try {
      await saveCapture(summary.spoolPath, values.w, { format: 'pcap' });
      rmSync(summary.spoolPath, { force: true });
    } catch (err) {
      const e = CaptureError.from(err, 'ERR_CAPTURE_SAVE', 'Check the target folder.');
      console.error(`netlab capture: ${e.message}\n  hint: ${e.hint} (${e.code})\n  the capture is kept in ${summary.spoolPath}`);
      status = 1;
    }
  } else if (!values.w && !summary.error) {
    rmSync(summary.spoolPath, { force: true });
  }
  console.error(`${summary.packets} packet${summary.packets === 1 ? '' : 's'} captured`);
  const s = summary.stats;
  if (s) {
    // dumpcap's closing line: what the kernel saw and what it had to drop.
    console.error(`Packets received/dropped on interface '${device}': ${s.received}/${s.dropped + s.ifDropped} (pcap:${s.dropped}/ifdrop:${s.ifDropped})`);
  }
  return status;
}
