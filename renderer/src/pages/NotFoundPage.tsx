import { Button, Stack, Text, Title } from '@mantine/core';
import { Link, useLocation } from 'react-router-dom';

export function NotFoundPage() {
  const { pathname } = useLocation();
  return (
    <Stack align="flex-start" gap="sm" maw={560}>
      <Title order={2}>Nothing here</Title>
      <Text c="dimmed">
        There is no page at <code>{pathname}</code>.
      </Text>
      <Button component={Link} to="/subscriptions" variant="light">
        Go to subscriptions
      </Button>
    </Stack>
  );
}
