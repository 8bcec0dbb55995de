import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * The OS app-data folder Electron's `app.getPath('userData')` would pick for "Towerline",
 * computed without Electron so the web host and scripts find the same datastore.
 */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.TOWERLINE_DATA_DIR) return env.TOWERLINE_DATA_DIR;
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'Towerline');
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Towerline');
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'Towerline');
}
