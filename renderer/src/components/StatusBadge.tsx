import { Badge, type BadgeProps } from '@mantine/core';
import type { SubscriptionStatus } from '../../../shared/domain/subscription-status';

export const STATUS_COLORS: Record<SubscriptionStatus, string> = {
  Active: 'green',
  Inactive: 'gray',
  Suspended: 'orange',
  Cancelled: 'red',
  Completed: 'blue',
};

export function StatusBadge({ status, ...props }: { status: SubscriptionStatus } & Omit<BadgeProps, 'color' | 'children'>) {
  return (
    <Badge color={STATUS_COLORS[status]} variant="light" radius="sm" data-testid="status-badge" data-status={status} {...props}>
      {status}
    </Badge>
  );
}
