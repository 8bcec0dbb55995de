import { Button, Menu } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconDownload, IconFileSpreadsheet, IconFileText } from '@tabler/icons-react';
import { useState } from 'react';
import type { InputOf } from '../../../../shared/api/contract';
import { callApi } from '../../api/hooks';
import { downloadFile } from '../../lib/files';

type ExportInput = InputOf<'exports.file'>;

/** "Export" beside a list's Add button: the list as it is filtered and sorted, as CSV or XLSX. */
export function ExportMenu({ list, filter }: { list: ExportInput['list']; filter?: ExportInput['filter'] }) {
  const [busy, setBusy] = useState(false);
  const run = async (format: 'csv' | 'xlsx') => {
    setBusy(true);
    try {
      downloadFile(await callApi('exports.file', { list, format, filter }));
    } catch (error) {
      notifications.show({ color: 'red', title: 'Export failed', message: error instanceof Error ? error.message : String(error) });
    } finally {
      setBusy(false);
    }
  };
  return (
    <Menu position="bottom-end" withinPortal>
      <Menu.Target>
        <Button variant="default" leftSection={<IconDownload size={16} />} loading={busy} data-testid={`export-${list}`}>
          Export
        </Button>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Item leftSection={<IconFileSpreadsheet size={16} />} onClick={() => run('xlsx')}>
          Excel workbook (.xlsx)
        </Menu.Item>
        <Menu.Item leftSection={<IconFileText size={16} />} onClick={() => run('csv')}>
          CSV (.csv)
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}
