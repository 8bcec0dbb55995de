import type { freeradiusApi } from '../../../../shared/api/freeradius';
import type { HandlersFor } from '../../api/handlers';
import { getFreeradiusSettings, getFreeradiusStatus, updateFreeradiusSettings } from './settings';
import { syncFreeradius } from './sync';

export const freeradiusHandlers: HandlersFor<typeof freeradiusApi> = {
  'freeradius.settings': (_input, { db }) => getFreeradiusSettings(db),
  'freeradius.updateSettings': (patch, { db, secrets, now }) => updateFreeradiusSettings(db, patch, secrets, now()),
  // Talks to PostgreSQL for seconds: outside any datastore transaction (see FREERADIUS_SELF_TRANSACTING).
  'freeradius.sync': (_input, { db, secrets, now }) => syncFreeradius(db, secrets, now),
  'freeradius.status': (_input, { db }) => getFreeradiusStatus(db),
};

/** A sync reads the datastore in its own read transaction and must not hold a write transaction while it waits on the network. */
export const FREERADIUS_SELF_TRANSACTING = ['freeradius.sync'] as const;
