// Apache's combined log format (mod_log_config: LogFormat "%h %l %u %t \"%r\" %>s %b
// \"%{Referer}i\" \"%{User-Agent}i\"" combined), so the students' logs read like the XAMPP ones and
// every log tool understands them. Strings are escaped as Apache does (ap_escape_logitem): quote and
// backslash get a backslash, other non-printable bytes become \xhh.

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

let cachedSecond = -1;
let cachedStamp = '';

/** "[10/Oct/2000:13:55:36 -0700]" in local time; formatted once per second (it is on every request). */
export function apacheTime(ms: number): string {
  const sec = Math.floor(ms / 1000);
  if (sec === cachedSecond) return cachedStamp;
  const d = new Date(sec * 1000);
  const off = -d.getTimezoneOffset();
  const sign = off >= 0 ? '+' : '-';
  const a = Math.abs(off);
  cachedStamp = `[${pad2(d.getDate())}/${MONTHS[d.getMonth()]}/${d.getFullYear()}:${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())} ${sign}${pad2(Math.floor(a / 60))}${pad2(a % 60)}]`;
  cachedSecond = sec;
  return cachedStamp;
}

export function escapeLogItem(s: string): string {
  // Fast path: almost every request line and user agent is plain printable ASCII.
  if (/^[\x20-\x21\x23-\x5b\x5d-\x7e]*$/.test(s)) return s;
  let out = '';
  for (const ch of Buffer.from(s, 'utf8')) {
    if (ch === 0x22) out += '\\"';
    else if (ch === 0x5c) out += '\\\\';
    else if (ch < 0x20 || ch >= 0x7f) out += `\\x${ch.toString(16).padStart(2, '0')}`;
    else out += String.fromCharCode(ch);
  }
  return out;
}

export interface AccessLogEntry {
  /** ISO 8601 time the request arrived. */
  time: string;
  remote: string;
  method: string;
  url: string;
  status: number;
  bytes: number;
  /** The Apache combined-format line, as written to the log file (no newline). */
  line: string;
}

export interface AccessFacts {
  remote: string;
  startMs: number;
  method: string;
  url: string;
  httpVersion: string;
  status: number;
  bytes: number;
  referer: string | undefined;
  userAgent: string | undefined;
}

export function accessLine(f: AccessFacts): string {
  const request = escapeLogItem(`${f.method} ${f.url} HTTP/${f.httpVersion}`);
  return `${f.remote} - - ${apacheTime(f.startMs)} "${request}" ${f.status} ${f.bytes > 0 ? f.bytes : '-'} "${f.referer === undefined ? '-' : escapeLogItem(f.referer)}" "${f.userAgent === undefined ? '-' : escapeLogItem(f.userAgent)}"`;
}

export function accessEntry(f: AccessFacts, line = accessLine(f)): AccessLogEntry {
  return { time: new Date(f.startMs).toISOString(), remote: f.remote, method: f.method, url: f.url, status: f.status, bytes: f.bytes, line };
}

/**
 * Collects log lines and writes them once per event-loop turn: under load that is one write for
 * dozens of requests instead of one each (Apache's BufferedLogs does the same).
 */
export class LineBuffer {
  private pending = '';
  private scheduled = false;

  constructor(private readonly out: { write(s: string): unknown }) {}

  add(line: string): void {
    this.pending += line + '\n';
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
  }

  flush(): void {
    this.scheduled = false;
    if (this.pending === '') return;
    const s = this.pending;
    this.pending = '';
    this.out.write(s);
  }
}

/** An error-log line in Apache 2.4's format: "[Wed Oct 11 14:32:52.123456 2000] [core:error] [pid 1] [client 1.2.3.4:5] msg". */
export function errorLogLine(level: 'error' | 'warn' | 'info', message: string, client?: string): string {
  const d = new Date();
  const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  const us = String(d.getMilliseconds() * 1000).padStart(6, '0');
  const stamp = `${days[d.getDay()]} ${MONTHS[d.getMonth()]} ${pad2(d.getDate())} ${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}.${us} ${d.getFullYear()}`;
  return `[${stamp}] [netlab:${level}] [pid ${process.pid}]${client !== undefined ? ` [client ${client}]` : ''} ${escapeLogItem(message)}`;
}
