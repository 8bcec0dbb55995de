import { Center, Code, Paper, Stack, Text, Title } from '@mantine/core';
import { IconLock } from '@tabler/icons-react';

/** Shown instead of the app when the web host refuses this tab: one sentence on how to get in. */
export function SignInNeeded() {
  return (
    <Center h="100vh" p="md">
      <Paper withBorder p="xl" maw={560} radius="md" data-testid="sign-in-needed">
        <Stack gap="sm">
          <IconLock size={32} />
          <Title order={2}>Open Towerline from its start address</Title>
          <Text>
            This browser is not signed in: open the address Towerline printed when it started (it looks like <Code>http://127.0.0.1:5178/?token=…</Code>), then links
            and new tabs work for the rest of the browser session.
          </Text>
        </Stack>
      </Paper>
    </Center>
  );
}
