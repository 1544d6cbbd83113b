// `netlab serve`: the lab web server from the command line (issue 6). Prints the URLs it serves, the
// first one on the first line (scripts and tests read it), and runs until SIGINT or SIGTERM.

import { parseArgs } from 'node:util';
import { LabServer, type LabServerOptions } from '../services/lab-server/index.js';

const HELP = `Usage: netlab serve [options]

Serve the student's site folder over HTTP (as XAMPP's Apache did in the lab).

Options:
  --root DIR               document root (default: the app's site folder, made from the template)
  --port N                 TCP port (default 8080; the lab write-up used 85)
  --host ADDR              all (default: every interface, IPv4 and IPv6), loopback, or one address
  --listing                list directories that have no index.html
  --keepalive-timeout S    seconds an idle keep-alive connection stays open (default 5)
  --headers-timeout S      seconds a client has to send its request headers (default 10)
  --access-log FILE        access log, Apache combined format (default: <data dir>/logs/access.log)
  --error-log FILE         error log (default: <data dir>/logs/error.log)
  --print-access           also print each access-log line on standard output
  -h, --help               this help
`;

function fail(message: string, hint: string, code = 2): number {
  console.error(`netlab serve: ${message}\n  Hint: ${hint}`);
  return code;
}

function seconds(v: string | undefined, name: string): number | undefined | Error {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) return new Error(`--${name} must be a number of seconds, not "${v}".`);
  return n;
}

export async function run(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        root: { type: 'string' },
        port: { type: 'string' },
        host: { type: 'string' },
        listing: { type: 'boolean' },
        'keepalive-timeout': { type: 'string' },
        'headers-timeout': { type: 'string' },
        'access-log': { type: 'string' },
        'error-log': { type: 'string' },
        'print-access': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (e) {
    return fail((e as Error).message, "Run 'netlab serve --help' for the options.");
  }
  if (values.help === true) {
    console.log(HELP);
    return 0;
  }
  const opts: LabServerOptions = { host: values.host ?? 'all', listing: values.listing ?? false };
  if (values.root !== undefined) opts.root = values.root;
  if (values.port !== undefined) {
    if (!/^\d{1,5}$/.test(values.port) || Number(values.port) > 65535) {
      return fail(`"${values.port}" is not a TCP port.`, 'Use a whole number from 1 to 65535, for example --port 8080.');
    }
    opts.port = Number(values.port);
  }
  const ka = seconds(values['keepalive-timeout'], 'keepalive-timeout');
  const ht = seconds(values['headers-timeout'], 'headers-timeout');
  for (const v of [ka, ht]) if (v instanceof Error) return fail(v.message, 'For example --keepalive-timeout 5.');
  if (typeof ka === 'number') opts.keepAliveTimeout = ka;
  if (typeof ht === 'number') opts.headersTimeout = ht * 1000;
  if (values['access-log'] !== undefined) opts.accessLog = values['access-log'];
  if (values['error-log'] !== undefined) opts.errorLog = values['error-log'];

  // Listen for the stop signals before starting, so a signal that arrives while starting (or right
  // after the URLs are printed) still stops the server cleanly.
  const stopSignal = new Promise<string>((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
  });
  const server = new LabServer();
  if (values['print-access'] === true) server.on('access', (e) => console.log(e.line));
  server.on('error', (e) => console.error(`netlab serve: ${e.message}`));
  let status;
  try {
    status = await server.start(opts);
  } catch (e) {
    const x = e as { code?: string; message?: string; hint?: string };
    if (typeof x.code === 'string' && typeof x.hint === 'string') return fail(`${x.message ?? ''} (${x.code})`, x.hint, 1);
    throw e;
  }
  console.log(status.urls.join('\n'));
  console.log(`Serving ${status.root ?? ''} on port ${status.port ?? ''}; press Ctrl+C to stop.`);
  const signal = await stopSignal;
  await server.stop();
  console.log(`Stopped (${signal}).`);
  return 0;
}
