import { MantineProvider, localStorageColorSchemeManager } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { useSyncExternalStore } from 'react';
import { accessRefused, subscribeAccess } from './api/access';
import { HashRouter, Navigate, Route, Routes } from 'react-router-dom';
import { shouldRetry } from './api/hooks';
import { BillingPage } from './pages/billing/BillingPage';
import { PrintViewPage } from './pages/billing/PrintViewPage';
import { HotspotPlansPage } from './pages/catalog/HotspotPlansPage';
import { PackagePage } from './pages/catalog/PackagePage';
import { PackagesPage } from './pages/catalog/PackagesPage';
import { PlansPage } from './pages/catalog/PlansPage';
import { TaxClassesPage } from './pages/catalog/TaxClassesPage';
import { ContactsPage } from './pages/contacts/ContactsPage';
import { IpNetworkPage } from './pages/network/IpNetworkPage';
import { IpNetworksPage } from './pages/network/IpNetworksPage';
import { RoutersPage } from './pages/network/RoutersPage';
import { NetworkPage } from './pages/network/NetworkPage';
import { VoucherSheetPage } from './pages/services/VoucherSheetPage';
import { NotFoundPage } from './pages/NotFoundPage';
import { DashboardPage } from './pages/dashboard/DashboardPage';
import { OrganizationPage } from './pages/organizations/OrganizationPage';
import { OrganizationsPage } from './pages/organizations/OrganizationsPage';
import { StaffPage } from './pages/staff/StaffPage';
import { NewSubscriptionPage } from './pages/subscriptions/NewSubscriptionPage';
import { SubscriptionListPage } from './pages/subscriptions/SubscriptionListPage';
import { SubscriptionPage } from './pages/subscriptions/SubscriptionPage';
import { AppLayout } from './shell/AppLayout';
import { SignInNeeded } from './shell/SignInNeeded';
import { theme } from './theme';

/** Light, dark or following the operating system ("auto", the default), remembered on this computer. */
const colorSchemeManager = localStorageColorSchemeManager({ key: 'towerline.colorScheme' });

const queryClient = new QueryClient({
  defaultOptions: {
    queries: { retry: shouldRetry, refetchOnWindowFocus: false, staleTime: 5_000 },
    mutations: { retry: false },
  },
});

/**
 * Hash routing: the same URLs work from file:// in the desktop window and from the web host,
 * whatever path the host serves index.html under.
 */
export function App() {
  const refused = useSyncExternalStore(subscribeAccess, accessRefused);
  return (
    <MantineProvider theme={theme} colorSchemeManager={colorSchemeManager} defaultColorScheme="auto">
      <Notifications position="top-right" limit={4} />
      {refused ? (
        <SignInNeeded />
      ) : (
      <QueryClientProvider client={queryClient}>
        <HashRouter>
          <Routes>
            <Route path="print/*" element={<PrintViewPage />} />
            <Route path="vouchers/:batchId/print" element={<VoucherSheetPage />} />
            <Route element={<AppLayout />}>
              <Route index element={<Navigate to="/home" replace />} />
              <Route path="home" element={<DashboardPage />} />
              <Route path="subscriptions" element={<SubscriptionListPage />} />
              <Route path="subscriptions/new" element={<NewSubscriptionPage />} />
              <Route path="subscriptions/:id/:tab?" element={<SubscriptionPage />} />
              <Route path="contacts" element={<ContactsPage />} />
              <Route path="organizations" element={<OrganizationsPage />} />
              <Route path="organizations/:id" element={<OrganizationPage />} />
              <Route path="staff" element={<StaffPage />} />
              <Route path="billing/:tab?" element={<BillingPage />} />
              <Route path="catalog/plans" element={<PlansPage />} />
              <Route path="catalog/packages" element={<PackagesPage />} />
              <Route path="catalog/packages/:id" element={<PackagePage />} />
              <Route path="catalog/hotspot-plans" element={<HotspotPlansPage />} />
              <Route path="catalog/tax-classes" element={<TaxClassesPage />} />
              <Route path="network/ip-networks" element={<IpNetworksPage />} />
              <Route path="network/ip-networks/:id" element={<IpNetworkPage />} />
              <Route path="network/routers" element={<RoutersPage />} />
              <Route path="network/status" element={<NetworkPage />} />
              <Route path="*" element={<NotFoundPage />} />
            </Route>
          </Routes>
        </HashRouter>
      </QueryClientProvider>
      )}
    </MantineProvider>
  );
}
