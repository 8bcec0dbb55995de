import { Alert } from '@mantine/core';
import { IconAlertCircle } from '@tabler/icons-react';

/** The error of a form that belongs to no single field: shown at the top of the form. */
export function FormAlert({ message, onClose }: { message: string | null; onClose?: () => void }) {
  if (!message) return null;
  return (
    <Alert color="red" variant="light" icon={<IconAlertCircle size={18} />} title="Not saved" withCloseButton={Boolean(onClose)} onClose={onClose} data-testid="form-error">
      {message}
    </Alert>
  );
}
