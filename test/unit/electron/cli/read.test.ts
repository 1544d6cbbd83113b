// `netlab read` argument parsing: tshark's flags and tshark's complaints about bad ones.
import { describe, expect, it } from 'vitest';
import { parseArgs } from '../../../../electron/cli/read.js';
import { CliError } from '../../../../electron/cli/cli-error.js';

function fails(argv: string[]): CliError {
  try {
    parseArgs(argv);
  } catch (e) {
    if (e instanceof CliError) return e;
    throw e;
  }
  throw new Error(`no error for ${argv.join(' ')}`);
}

describe('netlab read flags', () => {
  it('accepts tshark spellings, joined or separate', () => {
    const o = parseArgs(['-rcap.pcap', '-T', 'fields', '-e', 'ip.src', '-eip.dst', '-E', 'header=y', '-E', 'separator=/s',
      '-E', 'quote=d', '-E', 'occurrence=f', '-E', 'aggregator=;', '-c', '10', '-n', '-o', 'tcp.desegment_tcp_streams:FALSE']);
    expect(o.file).toBe('cap.pcap');
    expect(o.fields).toEqual(['ip.src', 'ip.dst']);
    expect([o.header, o.separator, o.quote, o.occurrence, o.aggregator, o.count]).toEqual([true, ' ', '"', 'f', ';', 10]);
    expect(o.prefs.get('tcp.desegment_tcp_streams')).toBe(false);
  });

  it('defaults as tshark: text, tab separator, all occurrences joined by commas', () => {
    const o = parseArgs(['-r', 'x.pcapng']);
    expect([o.format, o.separator, o.occurrence, o.aggregator, o.header, o.quote]).toEqual(['text', '\t', 'a', ',', false, '']);
  });

  it('bad input is a message and a hint, with tshark\'s words where tshark has some', () => {
    expect(fails(['-T', 'fields', '-e', 'ip.src']).message).toBe('no capture file given');
    expect(fails(['-r', 'x', '-e', 'ip.src']).message).toBe('Output fields were specified with "-e", but "-Tfields" was not specified.');
    expect(fails(['-r', 'x', '-T', 'pdml']).message).toBe('Invalid -T parameter "pdml"');
    expect(fails(['-r', 'x', '-c', 'many']).message).toBe('The specified packet count "many" isn\'t a valid number');
    expect(fails(['-r', 'x', '-o', 'tcp.desegment_tcp_streams']).message).toBe('Invalid -o flag "tcp.desegment_tcp_streams"');
    expect(fails(['-r', 'x', '-E', 'quote=x']).message).toBe('Invalid -E parameter "quote=x"');
    const e = fails(['-r']);
    expect(e.message).toBe("option requires an argument -- 'r'");
    expect(e.hint).not.toBe('');
  });
});
