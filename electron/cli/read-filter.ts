// -Y for `netlab read`: compiles the display filter (core/filter, issue 5) and reports a bad one the
// way tshark 4.0.17 does: the message, then the filter with a caret and tildes under the bad part,
// exit code 2.

import { compileFilter, type DisplayFilter } from '../../core/filter/index.js';
import { CliError } from './cli-error.js';

export type CompiledFilter = DisplayFilter;

export function loadFilter(text: string): CompiledFilter {
  const r = compileFilter(text);
  if (r.ok) return r.filter;
  let msg = r.message;
  // tshark underlines the offending span: "    ip.addr == 1.2.3\n               ^~~~~".
  if (r.end > r.start && text.indexOf('\n') < 0) {
    msg += `\n    ${text}\n    ${' '.repeat(r.start)}^${'~'.repeat(r.end - r.start - 1)}`;
  }
  throw new CliError(msg, 'Display filters use Wireshark syntax, e.g. -Y \'ip.addr == 198.18.0.1 and tcp.port == 85\'.', 2);
}
