import { IconAddressBook, IconHome, IconBroadcast, IconBuilding, IconCash, IconId, IconPackages, IconReceiptTax, IconRouter, IconSitemap, IconTicket, IconUsersGroup, IconWorld, type Icon } from '@tabler/icons-react';

export interface NavItem {
  to: string;
  label: string;
  icon: Icon;
  /** One line shown as the link's description. */
  hint?: string;
}

export interface NavSection {
  /** Shown above the section's links; the first section (the subscribers' area) has none. */
  title?: string;
  items: readonly NavItem[];
}

/**
 * The left navigation, top to bottom. Network and Billing join as their areas land: add a section
 * or an entry here and a route in App.tsx.
 */
export const NAV_SECTIONS: readonly NavSection[] = [
  {
    items: [
      { to: '/home', label: 'Home', icon: IconHome },
      { to: '/subscriptions', label: 'Subscriptions', icon: IconUsersGroup },
      { to: '/contacts', label: 'Contacts', icon: IconAddressBook },
      { to: '/organizations', label: 'Organizations', icon: IconBuilding },
      { to: '/staff', label: 'Staff', icon: IconId },
      { to: '/billing', label: 'Billing', icon: IconCash },
    ],
  },
  {
    title: 'Catalog',
    items: [
      { to: '/catalog/plans', label: 'Plans', icon: IconWorld },
      { to: '/catalog/packages', label: 'Packages', icon: IconPackages },
      { to: '/catalog/hotspot-plans', label: 'Hotspot plans', icon: IconTicket },
      { to: '/catalog/tax-classes', label: 'Tax classes', icon: IconReceiptTax },
    ],
  },
  {
    title: 'Network',
    items: [
      { to: '/network/status', label: 'Network status', icon: IconBroadcast },
      { to: '/network/ip-networks', label: 'IP networks', icon: IconSitemap },
      { to: '/network/routers', label: 'Routers', icon: IconRouter },
    ],
  },
];

export function navTestId(item: NavItem): string {
  return `nav-${item.label.toLowerCase().replace(/\s+/g, '-')}`;
}
