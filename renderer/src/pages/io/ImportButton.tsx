import { Button } from '@mantine/core';
import { IconFileImport } from '@tabler/icons-react';
import { useState } from 'react';
import type { InputOf } from '../../../../shared/api/contract';
import { ImportWizard } from './ImportWizard';

/** "Import from Excel" beside a list's Add button; opens the import wizard for that kind. */
export function ImportButton({ kind }: { kind: InputOf<'imports.preview'>['kind'] }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button variant="default" leftSection={<IconFileImport size={16} />} onClick={() => setOpen(true)} data-testid={`import-${kind}`}>
        Import from Excel
      </Button>
      {open && <ImportWizard kind={kind} opened={open} onClose={() => setOpen(false)} />}
    </>
  );
}
