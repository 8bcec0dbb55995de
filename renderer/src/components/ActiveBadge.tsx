import { Badge } from '@mantine/core';

export function ActiveBadge({ active, inactiveLabel = 'Inactive' }: { active: boolean; inactiveLabel?: string }) {
  return (
    <Badge variant="light" color={active ? 'green' : 'gray'} radius="sm">
      {active ? 'Active' : inactiveLabel}
    </Badge>
  );
}
