import { IconAddressBook, IconBuilding, IconId, IconUsersGroup, type Icon } from '@tabler/icons-react';

export interface NavItem {
  to: string;
  label: string;
  icon: Icon;
  /** One line shown as the link's description. */
  hint?: string;
}

/**
 * The left navigation, top to bottom. Catalog, Network and Billing join this list as their
 * issues land: add an entry here and a route in App.tsx.
 */
export const NAV_ITEMS: readonly NavItem[] = [
  { to: '/subscriptions', label: 'Subscriptions', icon: IconUsersGroup },
  { to: '/contacts', label: 'Contacts', icon: IconAddressBook },
  { to: '/organizations', label: 'Organizations', icon: IconBuilding },
  { to: '/staff', label: 'Staff', icon: IconId },
];
