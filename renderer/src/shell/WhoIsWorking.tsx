import { Button, Modal, ScrollArea, SimpleGrid, Stack, Text } from '@mantine/core';
import { IconUserCircle } from '@tabler/icons-react';
import { useState } from 'react';
import { useApiQuery } from '../api/hooks';
import { useActingStaff } from './use-acting-staff';

/** "Not now" holds for this window's session only: the next start asks again. */
const NOT_NOW = 'towerline.whoIsWorking.notNow';

function notNowThisSession(): boolean {
  try {
    return window.sessionStorage.getItem(NOT_NOW) === '1';
  } catch {
    return false;
  }
}

/**
 * Asks once, at start, who is at this computer when "Working as" is empty, so changes are recorded
 * under a person rather than silently as "Office". The answer is remembered on this computer (see
 * acting-staff.ts); "Working as" in the header changes it later.
 */
export function WhoIsWorking() {
  const [actingId, setActingId] = useActingStaff();
  const [dismissed, setDismissed] = useState(notNowThisSession);
  const staff = useApiQuery('staff.list', { includeInactive: false }, { staleTime: 60_000 });
  const people = staff.data ?? [];
  const opened = actingId === null && !dismissed && people.length > 0;

  const notNow = () => {
    try {
      window.sessionStorage.setItem(NOT_NOW, '1');
    } catch {
      // Without storage the answer holds until the window is reloaded.
    }
    setDismissed(true);
  };

  return (
    <Modal opened={opened} onClose={notNow} title="Who is working at this computer?" size="lg" data-testid="who-is-working">
      <Stack gap="sm">
        <Text size="sm" c="dimmed">
          Changes are recorded in each subscription&rsquo;s history under your name. This computer remembers the choice; change it any time with
          &ldquo;Working as&rdquo; at the top.
        </Text>
        <ScrollArea.Autosize mah={360}>
          <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="xs">
            {people.map((s, i) => (
              <Button
                key={s.id}
                variant="default"
                justify="flex-start"
                leftSection={<IconUserCircle size={18} />}
                onClick={() => setActingId(s.id)}
                data-autofocus={i === 0 || undefined}
                data-testid="who-is-working-choice"
              >
                {s.name}
                <Text span size="xs" c="dimmed" ml={6}>
                  {s.role}
                </Text>
              </Button>
            ))}
          </SimpleGrid>
        </ScrollArea.Autosize>
        <Text size="xs" c="dimmed">
          Not in the list? Add yourself under Staff. &ldquo;Not now&rdquo; records changes as &ldquo;Office&rdquo; until the next start.
        </Text>
        <Button variant="subtle" color="gray" onClick={notNow} style={{ alignSelf: 'flex-end' }} data-testid="who-is-working-not-now">
          Not now
        </Button>
      </Stack>
    </Modal>
  );
}
