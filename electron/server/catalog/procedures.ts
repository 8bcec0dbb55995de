import type { catalogApi } from '../../../shared/api/catalog';
import type { HandlersFor } from '../api/handlers';

export const catalogHandlers: HandlersFor<typeof catalogApi> = {};
