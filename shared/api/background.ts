import { z } from 'zod';
import { isoDateTime } from './common';
import { port } from './freeradius';
import { procedure } from './procedure';

/** Where the always-on work (RADIUS server, network and FreeRADIUS sync, scheduled changes, backups) runs. */

export const backgroundSettingsFields = z.object({
  /** The desktop app runs the RADIUS server and the network, FreeRADIUS, backup and daily jobs itself. */
  runOnThisComputer: z.boolean(),
  radiusHost: z.string().trim().min(1, 'Required').max(200, 'At most 200 characters'),
  radiusAuthPort: port,
  radiusAcctPort: port,
});

export const backgroundSettings = backgroundSettingsFields.extend({ updatedAt: isoDateTime });

export const backgroundApi = {
  'background.settings': procedure('Whether the desktop app runs the always-on work (RADIUS, sync, backups) itself.', z.object({}).default({}), backgroundSettings),
  'background.updateSettings': procedure('Change whether and where the desktop app runs the always-on work; applies at its next start.', backgroundSettingsFields.partial(), backgroundSettings),
};
