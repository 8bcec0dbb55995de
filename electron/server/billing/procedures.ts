import type { billingApi } from '../../../shared/api/billing';
import type { HandlersFor } from '../api/handlers';

export const billingHandlers: HandlersFor<typeof billingApi> = {};
