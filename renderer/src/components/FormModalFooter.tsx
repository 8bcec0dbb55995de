import { Button, Group } from '@mantine/core';

export type AfterSave = 'close' | 'new';

/**
 * Cancel and Save at the foot of a form. With `onSaveChoice`, a new record also offers Save & New;
 * the choice is told before the form submits, so the submit handler knows whether to start afresh.
 */
export function FormModalFooter({
  onCancel,
  submitting,
  saveLabel = 'Save',
  saveTestId,
  offerSaveAndNew = false,
  onSaveChoice,
}: {
  onCancel: () => void;
  submitting: boolean;
  saveLabel?: string;
  saveTestId?: string;
  offerSaveAndNew?: boolean;
  onSaveChoice?: (after: AfterSave) => void;
}) {
  return (
    <Group justify="flex-end">
      <Button variant="default" onClick={onCancel}>
        Cancel
      </Button>
      {offerSaveAndNew && (
        <Button type="submit" variant="light" loading={submitting} onClick={() => onSaveChoice?.('new')}>
          Save &amp; New
        </Button>
      )}
      <Button type="submit" loading={submitting} onClick={onSaveChoice && (() => onSaveChoice('close'))} data-testid={saveTestId}>
        {saveLabel}
      </Button>
    </Group>
  );
}
