import { Center, Group, Kbd, Loader, Stack, Text } from '@mantine/core';
import { Spotlight, type SpotlightStore, createSpotlight } from '@mantine/spotlight';
import { IconSearch } from '@tabler/icons-react';
import { useLayoutEffect, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { useApiQuery } from '../api/hooks';
import { StatusBadge } from '../components/StatusBadge';
import { useSettled } from '../lib/use-debounced';

/** Ctrl/Cmd+K anywhere: find a subscription by anything it has, as you type; Enter opens the tab that shows it. */
export const [quickSearchStore, quickSearch] = createSpotlight();

/**
 * Marks the first hit as selected, as Spotlight itself does when the query changes. The package
 * keeps its own `selectAction` internal, so this repeats its two steps: the DOM mark Enter clicks,
 * and the index in the store that arrow keys move from.
 */
function selectFirstAction(store: SpotlightStore): void {
  const { listId } = store.getState();
  const list = listId ? document.getElementById(listId) : null;
  const first = list?.querySelector('[data-action]');
  if (!list || !first) return;
  list.querySelector('[data-selected]')?.removeAttribute('data-selected');
  first.setAttribute('data-selected', 'true');
  store.updateState((state) => ({ ...state, selected: 0 }));
}

export const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform || navigator.userAgent);
export const modKey = isMac ? '⌘' : 'Ctrl';

export function QuickSearch() {
  const navigate = useNavigate();
  const [query, setQuery] = useState('');
  const settled = useSettled(query.trim(), 180);
  const typed = query.trim();
  const results = useApiQuery('search.quick', { query: settled, limit: 12 }, { enabled: settled.length > 0 });
  // Only hits for what is typed now: a list left over from the previous query would let Enter
  // open a subscription that no longer matches.
  const fresh = typed.length > 0 && settled === typed && !results.isFetching;
  const hits = fresh ? (results.data ?? []) : [];
  const waiting = typed.length > 0 && !fresh;

  // Spotlight selects the first action when the query changes, but these actions arrive later
  // from the back end: select the first once they are in the DOM, before paint, so Enter opens it.
  useLayoutEffect(() => {
    if (hits.length > 0) selectFirstAction(quickSearchStore);
  }, [hits]);

  return (
    <Spotlight.Root
      store={quickSearchStore}
      query={query}
      onQueryChange={setQuery}
      shortcut={['mod + K']}
      tagsToIgnore={[]}
      scrollable
      maxHeight={440}
      size="lg"
      data-testid="quick-search"
    >
      <Spotlight.Search
        placeholder="Find by name, organization, login, IP, MAC, serial, voucher or invoice"
        leftSection={waiting ? <Loader size={18} /> : <IconSearch size={20} stroke={1.6} />}
        data-testid="quick-search-input"
      />
      <Spotlight.ActionsList>
        {hits.map((hit) => (
          <Spotlight.Action
            key={`${hit.subscriptionId}|${hit.kind}|${hit.matched ?? ''}`}
            data-testid="quick-search-hit"
            data-unique-id={hit.uniqueId}
            data-kind={hit.kind}
            onClick={() => navigate(hit.opens === 'summary' ? `/subscriptions/${hit.subscriptionId}` : `/subscriptions/${hit.subscriptionId}/${hit.opens}`)}
            label={`${hit.uniqueId} · ${hit.name}`}
            // What matched comes first: "IP 10.20.0.45 · service Wireless 100/20" answers "who is this?".
            description={[hit.matched, hit.contactName, hit.phone, hit.email].filter(Boolean).join(' · ')}
            rightSection={<StatusBadge status={hit.status} />}
            dimmedSections={false}
          />
        ))}
        {!typed && (
          <Center p="lg">
            <Text c="dimmed" size="sm">
              Type a subscriber&apos;s name, organization, unique ID (S-000123 or 123), phone or email; or a PPPoE or
              hotspot login, voucher code, IP address, MAC, device serial or invoice number.
            </Text>
          </Center>
        )}
        {typed && !waiting && hits.length === 0 && (
          <Center p="lg">
            <Text c="dimmed" size="sm" data-testid="quick-search-nothing">
              {results.error ? `Search failed: ${results.error.message}` : 'No subscription matches.'}
            </Text>
          </Center>
        )}
      </Spotlight.ActionsList>
      <Spotlight.Footer>
        <Group gap="lg" justify="center">
          <Stack gap={0}>
            <Text size="xs" c="dimmed">
              <Kbd size="xs">↑</Kbd> <Kbd size="xs">↓</Kbd> move · <Kbd size="xs">Enter</Kbd> open · <Kbd size="xs">Esc</Kbd> close
            </Text>
          </Stack>
        </Group>
      </Spotlight.Footer>
    </Spotlight.Root>
  );
}
