import type { networkApi } from '../../../shared/api/network';
import type { HandlersFor } from '../api/handlers';

export const networkHandlers: HandlersFor<typeof networkApi> = {};
