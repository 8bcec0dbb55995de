import { afterAll, afterEach, beforeAll } from 'vitest';
import type { TestBackend } from '../fixtures/backend';
import { makeNetwork, makeRouter } from '../fixtures/factories';
import type { InputOf, OutputOf } from '../../shared/api/contract';
import { MENU_PATHS } from './menus';
import { type RouterOsTestServer, startRouterOsTestServer } from './server';

export const TEST_ROUTER_LOGIN = { user: 'towerline', password: 'api-secret' } as const;

/**
 * The test router for a test file: started once before its tests, back up, emptied and its counters
 * reset after each test, closed after the last. `use` receives it for the file's own binding.
 */
export function useTestRouter(use: (router: RouterOsTestServer) => void): void {
  let router: RouterOsTestServer | undefined;
  beforeAll(async () => {
    router = await startRouterOsTestServer({ ...TEST_ROUTER_LOGIN });
    use(router);
  });
  afterAll(async () => {
    await router?.close();
  });
  afterEach(async () => {
    if (!router) return;
    if (router.isDown) await router.up();
    for (const path of MENU_PATHS) router.menu(path).clear();
    router.resetCounters();
  });
}

/** The router record for the test router, with the permanent network 100.64.0.0/24 behind it. */
export async function makeTestRouter(t: TestBackend, router: RouterOsTestServer, overrides: Partial<InputOf<'routers.create'>> = {}): Promise<OutputOf<'routers.create'>> {
  const r = await makeRouter(t, { name: 'North tower', address: router.host, apiPort: router.port, apiUser: TEST_ROUTER_LOGIN.user, apiPassword: TEST_ROUTER_LOGIN.password, ...overrides });
  await makeNetwork(t, { cidr: '100.64.0.0/24', kind: 'permanent', routerId: r.id, gateway: '100.64.0.1' });
  return r;
}
