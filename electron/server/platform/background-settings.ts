import type { z } from 'zod';
import type { backgroundApi, backgroundSettings, backgroundSettingsFields } from '../../../shared/api/background';
import { ApiError } from '../../../shared/api/errors';
import type { HandlersFor } from '../api/handlers';
import type { Db } from '../db/open';

/** Whether the desktop app (or the web host) runs the always-on work itself, and where RADIUS listens then. */
type Background = z.output<typeof backgroundSettings>;
type BackgroundFields = z.output<typeof backgroundSettingsFields>;

export async function getBackgroundSettings(db: Db): Promise<Background> {
  const r = await db.selectFrom('background_settings').selectAll().where('id', '=', 1).executeTakeFirstOrThrow();
  return { runOnThisComputer: r.run_on_this_computer === 1, radiusHost: r.radius_host, radiusAuthPort: r.radius_auth_port, radiusAcctPort: r.radius_acct_port, updatedAt: r.updated_at };
}

export async function updateBackgroundSettings(db: Db, patch: Partial<BackgroundFields>, now: Date): Promise<Background> {
  const current = await getBackgroundSettings(db);
  const auth = patch.radiusAuthPort ?? current.radiusAuthPort;
  const acct = patch.radiusAcctPort ?? current.radiusAcctPort;
  if (auth === acct) throw new ApiError('validation', 'Authentication and accounting need two different ports.', { [patch.radiusAcctPort !== undefined ? 'radiusAcctPort' : 'radiusAuthPort']: 'Same port as the other' });
  const columns = {
    run_on_this_computer: patch.runOnThisComputer === undefined ? undefined : patch.runOnThisComputer ? 1 : 0,
    radius_host: patch.radiusHost,
    radius_auth_port: patch.radiusAuthPort,
    radius_acct_port: patch.radiusAcctPort,
  };
  const set = Object.fromEntries(Object.entries(columns).filter(([, v]) => v !== undefined));
  await db.updateTable('background_settings').set({ ...set, updated_at: now.toISOString() }).where('id', '=', 1).execute();
  return getBackgroundSettings(db);
}

export const backgroundHandlers: HandlersFor<typeof backgroundApi> = {
  'background.settings': (_input, { db }) => getBackgroundSettings(db),
  'background.updateSettings': (patch, { db, now }) => updateBackgroundSettings(db, patch, now()),
};
