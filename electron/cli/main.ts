// The `netlab` command line: one subcommand per file in this folder, loaded on demand so that
// `netlab read` never pays for the web server or the capture code. Add a command: one file exporting
// `run(argv): Promise<number>` (the exit code) and one line in `commands`.

type Command = { run(argv: string[]): Promise<number> };

const commands: Record<string, { load: () => Promise<Command>; summary: string }> = {
  capture: { load: () => import('./capture.js'), summary: 'capture live packets (-i IFACE -f BPF -w FILE -c N -a duration:S), as tshark does' },
  interfaces: { load: () => import('./interfaces.js'), summary: 'list the interfaces you can capture on, with addresses (like tshark -D)' },
  read: { load: () => import('./read.js'), summary: 'read a capture file and print it as tshark does (-T text|fields|json, -e, -V, -Y)' },
  serve: { load: () => import('./serve.js'), summary: 'serve the lab page over HTTP (--root DIR --port N --host ADDR --listing), prints its URLs' },
  start: { load: () => import('./start.js'), summary: 'open the workbench (desktop app, or browser mode without Electron)' },
  ui: { load: () => import('./ui.js'), summary: 'open the workbench in your browser (serves 127.0.0.1 with a per-run token)' },
};

function usage(): string {
  const lines = Object.entries(commands).map(([name, c]) => `  netlab ${name.padEnd(11)} ${c.summary}`);
  return ['Usage: netlab <command> [options]', '', 'Commands:', ...lines, '', "Run 'netlab <command> --help' for a command's options."].join('\n');
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    console.log(usage());
    return name === undefined ? 1 : 0;
  }
  const cmd = commands[name];
  if (cmd === undefined) {
    console.error(`netlab: unknown command "${name}".\n\n${usage()}`);
    return 2;
  }
  return (await cmd.load()).run(rest);
}

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err: unknown) => {
    // Every command reports its own failures as {message, hint}; reaching here is a bug in netlab.
    console.error(`netlab: internal error: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
    process.exitCode = 70;
  },
);
