import { AppShell, Box, Burger, Group, Kbd, NavLink, ScrollArea, Text, ThemeIcon, UnstyledButton } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconBuildingBroadcastTower, IconSearch } from '@tabler/icons-react';
import { Link, Outlet, useLocation } from 'react-router-dom';
import { platform } from '../api';
import classes from './AppLayout.module.css';
import { NAV_SECTIONS, navTestId } from './nav';
import { QuickSearch, modKey, quickSearch } from './QuickSearch';
import { WorkingAs } from './WorkingAs';
import { WhoIsWorking } from './WhoIsWorking';
import { ColorSchemeSwitch } from './ColorSchemeSwitch';

export function AppLayout() {
  const [navOpened, { toggle: toggleNav, close: closeNav }] = useDisclosure(false);
  const { pathname } = useLocation();

  return (
    <AppShell header={{ height: 56 }} navbar={{ width: 216, breakpoint: 'sm', collapsed: { mobile: !navOpened } }} padding="lg">
      <AppShell.Header className={classes.header}>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger opened={navOpened} onClick={toggleNav} hiddenFrom="sm" size="sm" aria-label="Toggle navigation" />
            <Link to="/subscriptions" className={classes.brand} data-testid="brand">
              <ThemeIcon size={30} radius="md" variant="gradient" gradient={{ from: 'towerline.7', to: 'towerline.4', deg: 135 }}>
                <IconBuildingBroadcastTower size={19} stroke={1.8} />
              </ThemeIcon>
              <Text fw={750} size="lg" lts={-0.3}>
                Towerline
              </Text>
            </Link>
          </Group>
          <UnstyledButton className={classes.search} onClick={quickSearch.open} data-testid="open-quick-search" aria-label="Quick search">
            <Group gap="xs" wrap="nowrap">
              <IconSearch size={16} stroke={1.6} />
              <Text size="sm" c="dimmed" className={classes.searchLabel}>
                Find a subscription…
              </Text>
              <Kbd size="xs" ml="auto">
                {modKey} K
              </Kbd>
            </Group>
          </UnstyledButton>
          <Group gap="xs" wrap="nowrap">
            <WorkingAs />
            <ColorSchemeSwitch />
          </Group>
        </Group>
      </AppShell.Header>

      <AppShell.Navbar p="xs">
        <AppShell.Section grow component={ScrollArea}>
          {NAV_SECTIONS.map((section, i) => (
            <Box key={section.title ?? i} mb="sm">
              {section.title && (
                <Text size="xs" fw={700} c="dimmed" tt="uppercase" lts={0.5} px="sm" pt="xs" pb={4}>
                  {section.title}
                </Text>
              )}
              {section.items.map((item) => (
                <NavLink
                  key={item.to}
                  component={Link}
                  to={item.to}
                  label={item.label}
                  description={item.hint}
                  leftSection={<item.icon size={18} stroke={1.6} />}
                  active={pathname === item.to || pathname.startsWith(`${item.to}/`)}
                  onClick={closeNav}
                  className={classes.navLink}
                  data-testid={navTestId(item)}
                />
              ))}
            </Box>
          ))}
        </AppShell.Section>
        <AppShell.Section>
          <Text size="xs" c="dimmed" px="sm" py={6}>
            {platform === 'desktop' ? 'Desktop app' : 'Web host'} · press <Kbd size="xs">{modKey} K</Kbd> to search
          </Text>
        </AppShell.Section>
      </AppShell.Navbar>

      <AppShell.Main className={classes.main}>
        <Outlet />
      </AppShell.Main>
      <QuickSearch />
      <WhoIsWorking />
    </AppShell>
  );
}
