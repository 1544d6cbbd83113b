// `netlab interfaces`: the interfaces libpcap can capture on, numbered as `tshark -D` numbers them
// (so `netlab capture -i 3` means what `tshark -i 3` means), with their addresses and state.
import { parseArgs } from 'node:util';
import { loadAddon, type InterfaceAddress, type NetInterface } from '../../native/index.js';
import { CaptureError } from '../services/capture/capture-error.js';

const HELP = `Usage: netlab interfaces [--json]

Lists the interfaces you can capture on, numbered like 'tshark -D', with addresses and flags.
  --json   print the list as JSON`;

function prefixLength(mask: string): number | null {
  if (!mask) return null;
  let bits = 0;
  if (mask.includes(':')) {
    for (const part of mask.split(':')) {
      if (part === '') continue;
      bits += (parseInt(part, 16) >>> 0).toString(2).replace(/0/g, '').length;
    }
  } else {
    for (const part of mask.split('.')) bits += (Number(part) >>> 0).toString(2).replace(/0/g, '').length;
  }
  return bits;
}

function addressText(a: InterfaceAddress): string {
  const len = prefixLength(a.netmask);
  return `${a.family} ${a.addr}${len === null ? '' : `/${len}`}${a.broadaddr ? ` brd ${a.broadaddr}` : ''}`;
}

/** dumpcap names the loopback device "Loopback" when libpcap gives no description. */
export function interfaceLabel(i: NetInterface): string {
  const desc = i.description || (i.loopback ? 'Loopback' : '');
  return desc ? `${i.name} (${desc})` : i.name;
}

export function listInterfaces(): NetInterface[] {
  try {
    return loadAddon().interfaces();
  } catch (err) {
    throw CaptureError.from(err, 'ERR_CAPTURE_LIST', 'Check that libpcap is installed: npm run build:native.');
  }
}

export async function run(argv: string[]): Promise<number> {
  let json = false;
  try {
    const { values } = parseArgs({ args: argv, options: { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } });
    if (values.help) {
      console.log(HELP);
      return 0;
    }
    json = values.json === true;
  } catch (err) {
    console.error(`netlab interfaces: ${(err as Error).message}\n\n${HELP}`);
    return 2;
  }
  let list: NetInterface[];
  try {
    list = listInterfaces();
  } catch (err) {
    const e = err as CaptureError;
    console.error(`netlab interfaces: ${e.message}\n  hint: ${e.hint} (${e.code})`);
    return 1;
  }
  if (json) {
    console.log(JSON.stringify(list, null, 2));
    return 0;
  }
  const lines: string[] = [];
  list.forEach((i, n) => {
    const flags = [i.up ? 'up' : 'down', i.running ? 'running' : '', i.loopback ? 'loopback' : '', i.wireless ? 'wireless' : '']
      .filter(Boolean).join(',');
    lines.push(`${n + 1}. ${interfaceLabel(i)}  [${flags}]`);
    for (const a of i.addresses) lines.push(`     ${addressText(a)}`);
  });
  console.log(lines.join('\n'));
  return 0;
}
