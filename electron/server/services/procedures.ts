import type { servicesApi } from '../../../shared/api/services';
import type { HandlersFor } from '../api/handlers';

export const serviceHandlers: HandlersFor<typeof servicesApi> = {};
