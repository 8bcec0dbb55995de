import { Badge, Text, Tooltip } from '@mantine/core';
import type { OutputOf } from '../../../../shared/api/contract';
import { useApiQuery } from '../../api/hooks';
import { formatDateTime } from '../../lib/format';

type Presence = OutputOf<'usage.presence'>[number];

/** Online now / last seen for the services on screen, one request for them all. */
export function usePresence(serviceIds: number[]) {
  const q = useApiQuery('usage.presence', { serviceIds }, { enabled: serviceIds.length > 0, keepPrevious: true });
  return (serviceId: number) => q.data?.find((p) => p.serviceId === serviceId);
}

export function PresenceCell({ presence }: { presence: Presence | undefined }) {
  if (!presence) return null;
  if (presence.online)
    return (
      <Tooltip label={`Online since ${formatDateTime(presence.onlineSince)}; last report ${formatDateTime(presence.lastSeenAt)}`}>
        <Badge color="green" variant="dot" radius="sm" data-testid="service-presence">
          Online now
        </Badge>
      </Tooltip>
    );
  return (
    <Text size="xs" c="dimmed" data-testid="service-presence">
      {presence.lastSeenAt ? `Last seen ${formatDateTime(presence.lastSeenAt)}` : 'Never seen'}
    </Text>
  );
}
