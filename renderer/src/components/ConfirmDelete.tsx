import { Alert, Button, Group, Modal, Stack, Text } from '@mantine/core';
import { IconAlertCircle } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { useConfirmAction } from '../lib/use-confirm-action';

/**
 * Asks before deleting. If the back end refuses (a contact still on a subscription, an engineer
 * still responsible for some), the refusal is shown right here, in the dialog the user is looking at.
 */
export function ConfirmDelete({
  opened,
  title,
  children,
  onConfirm,
  onClose,
}: {
  opened: boolean;
  title: string;
  children: ReactNode;
  onConfirm: () => Promise<unknown>;
  onClose: () => void;
}) {
  const { busy, error, close, run } = useConfirmAction(onClose, 'Something went wrong; nothing was deleted.');
  const confirm = () => run(onConfirm);

  return (
    <Modal opened={opened} onClose={close} title={title} centered data-testid="confirm-delete">
      <Stack>
        {error && (
          <Alert color="red" variant="light" icon={<IconAlertCircle size={18} />} title="Not deleted" data-testid="delete-refused">
            {error}
          </Alert>
        )}
        <Text size="sm">{children}</Text>
        <Group justify="flex-end">
          <Button variant="default" onClick={close}>
            {error ? 'Close' : 'Cancel'}
          </Button>
          {!error && (
            <Button color="red" loading={busy} onClick={confirm} data-testid="confirm-delete-button" data-autofocus>
              Delete
            </Button>
          )}
        </Group>
      </Stack>
    </Modal>
  );
}
