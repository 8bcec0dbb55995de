import { MantineProvider } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { HashRouter, Navigate, Route, Routes } from 'react-router-dom';
import { shouldRetry } from './api/hooks';
import { ContactsPage } from './pages/contacts/ContactsPage';
import { NotFoundPage } from './pages/NotFoundPage';
import { OrganizationsPage } from './pages/organizations/OrganizationsPage';
import { StaffPage } from './pages/staff/StaffPage';
import { NewSubscriptionPage } from './pages/subscriptions/NewSubscriptionPage';
import { SubscriptionListPage } from './pages/subscriptions/SubscriptionListPage';
import { SubscriptionPage } from './pages/subscriptions/SubscriptionPage';
import { AppLayout } from './shell/AppLayout';
import { theme } from './theme';

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
  return (
    <MantineProvider theme={theme} defaultColorScheme="light">
      <Notifications position="top-right" limit={4} />
      <QueryClientProvider client={queryClient}>
        <HashRouter>
          <Routes>
            <Route element={<AppLayout />}>
              <Route index element={<Navigate to="/subscriptions" replace />} />
              <Route path="subscriptions" element={<SubscriptionListPage />} />
              <Route path="subscriptions/new" element={<NewSubscriptionPage />} />
              <Route path="subscriptions/:id/:tab?" element={<SubscriptionPage />} />
              <Route path="contacts" element={<ContactsPage />} />
              <Route path="organizations" element={<OrganizationsPage />} />
              <Route path="staff" element={<StaffPage />} />
              <Route path="*" element={<NotFoundPage />} />
            </Route>
          </Routes>
        </HashRouter>
      </QueryClientProvider>
    </MantineProvider>
  );
}
