// Where the app keeps its own files (the site folder, logs) when nobody says otherwise. Electron's
// app.getPath('userData') is the same folder ($XDG_CONFIG_HOME/<name> on Linux), so the CLI and the
// desktop app share one site; NETLAB_DATA_DIR overrides it (tests, portable installs).

import { homedir } from 'node:os';
import { join } from 'node:path';

export const APP_DIR_NAME = 'netlab-workbench';

export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.NETLAB_DATA_DIR) return env.NETLAB_DATA_DIR;
  if (process.platform === 'win32' && env.APPDATA) return join(env.APPDATA, APP_DIR_NAME);
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Application Support', APP_DIR_NAME);
  return join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), APP_DIR_NAME);
}
