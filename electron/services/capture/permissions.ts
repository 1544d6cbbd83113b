// May this user capture? Detects it and explains the fix for the platform. On Linux the fix is file
// capabilities on the helper executable alone (as Wireshark's dumpcap gets them): never on node or
// electron, whose sandbox and library loading break under capabilities.
import { execFile } from 'node:child_process';
import { accessSync, constants, existsSync, readdirSync, realpathSync } from 'node:fs';
import { basename } from 'node:path';
import { promisify } from 'node:util';
import { HELPER_NAME, helperPath as defaultHelperPath } from '../../../native/index.js';
import { CaptureError } from './capture-error.js';

const run = promisify(execFile);

export const CAPABILITIES = 'cap_net_raw,cap_net_admin+eip';

export interface PermissionStatus {
  canCapture: boolean;
  /** How: as root, through the helper's capabilities, /dev/bpf access (macOS), Npcap (Windows). */
  via: 'root' | 'capabilities' | 'bpf' | 'npcap' | 'none';
  helperPath: string;
  /** When canCapture is false: what to tell the user (same text as the helper's own error). */
  problem?: { code: 'ERR_CAPTURE_PERMISSION'; message: string; hint: string };
}

export function permissionHint(helper: string, platform = process.platform): string {
  if (platform === 'darwin') {
    return "Capturing needs read access to /dev/bpf*. Install Wireshark's ChmodBPF helper (it adds you to the access_bpf group), or run: sudo chmod o+r /dev/bpf*";
  }
  if (platform === 'win32') {
    return "Install Npcap (https://npcap.com) and, if you chose 'Restrict Npcap driver's access to Administrators only', run NetLab Workbench as administrator.";
  }
  return `Give the capture helper (only it, never node or electron) the capture capabilities: sudo setcap ${CAPABILITIES} ${helper} , or let NetLab Workbench do it through pkexec when it asks.`;
}

async function helperHasCapabilities(helper: string): Promise<boolean> {
  try {
    const { stdout } = await run('getcap', [helper]);
    return /cap_net_admin/.test(stdout) && /cap_net_raw/.test(stdout) && /[=+]e?i?p|eip/.test(stdout);
  } catch {
    return false;
  }
}

export async function checkCapturePermission(helper = defaultHelperPath()): Promise<PermissionStatus> {
  const base = { helperPath: helper };
  const denied = (): PermissionStatus => ({
    ...base,
    canCapture: false,
    via: 'none',
    problem: { code: 'ERR_CAPTURE_PERMISSION', message: 'You are not allowed to capture packets on this computer yet.', hint: permissionHint(helper) },
  });
  if (process.platform === 'win32') {
    const root = process.env.SystemRoot ?? 'C:\\Windows';
    return existsSync(`${root}\\System32\\Npcap\\wpcap.dll`) ? { ...base, canCapture: true, via: 'npcap' } : denied();
  }
  if (process.getuid?.() === 0) return { ...base, canCapture: true, via: 'root' };
  if (process.platform === 'darwin') {
    const bpf = readdirSync('/dev').filter((n) => /^bpf\d+$/.test(n));
    const readable = bpf.some((n) => {
      try {
        accessSync(`/dev/${n}`, constants.R_OK);
        return true;
      } catch {
        return false;
      }
    });
    return readable ? { ...base, canCapture: true, via: 'bpf' } : denied();
  }
  return (await helperHasCapabilities(helper)) ? { ...base, canCapture: true, via: 'capabilities' } : denied();
}

/** Refuses any target but our helper: capabilities on node or electron are the trap to avoid. */
export function assertIsHelper(path: string): string {
  const real = realpathSync(path);
  if (basename(real) !== HELPER_NAME || real === realpathSync(process.execPath)) {
    throw new CaptureError('ERR_CAPTURE_PERMISSION', `Refusing to grant capture capabilities to ${real}: only the capture helper (${HELPER_NAME}) may have them.`,
      'Point NetLab Workbench at its own netlab-capture executable.');
  }
  return real;
}

/**
 * Linux only, and only after the user agreed in the UI: asks for the administrator's password
 * through pkexec (polkit) and sets the capabilities on the helper.
 */
export async function grantCapabilitiesWithPkexec(helper = defaultHelperPath()): Promise<void> {
  if (process.platform !== 'linux') {
    throw new CaptureError('ERR_CAPTURE_PERMISSION', 'Granting capabilities is only possible on Linux.', permissionHint(helper));
  }
  const target = assertIsHelper(helper);
  try {
    await run('pkexec', ['/usr/sbin/setcap', CAPABILITIES, target]);
  } catch (err) {
    const e = err as { code?: number | string; stderr?: string };
    // pkexec exits 126 when the user dismissed the dialog, 127 when not authorized.
    const why = e.code === 126 || e.code === 127 ? 'the administrator password was not given' : (e.stderr?.trim() || String(e.code));
    throw new CaptureError('ERR_CAPTURE_PERMISSION', `The capture helper did not get its capabilities: ${why}.`, permissionHint(target));
  }
}
