import { Button, Menu } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconDownload, IconFileSpreadsheet, IconFileText } from '@tabler/icons-react';
import { useState } from 'react';
import type { InputOf } from '../../../../shared/api/contract';
import { callApi } from '../../api/hooks';
import { downloadFile } from '../../lib/files';

type ExportInput = InputOf<'exports.file'>;

/** Another list offered from the same menu, e.g. every service from the subscription list. */
export interface ExportAlso {
  list: ExportInput['list'];
  label: string;
  filter?: ExportInput['filter'];
}

/**
 * "Export" beside a list's Add button: the list as it is filtered and sorted, as CSV or XLSX; `also`
 * adds lists that have no screen of their own (every service, every payment) under their own heading.
 */
export function ExportMenu({ list, filter, also = [] }: { list: ExportInput['list']; filter?: ExportInput['filter']; also?: ExportAlso[] }) {
  const [busy, setBusy] = useState(false);
  const run = async (input: ExportInput) => {
    setBusy(true);
    try {
      downloadFile(await callApi('exports.file', input));
    } catch (error) {
      notifications.show({ color: 'red', title: 'Export failed', message: error instanceof Error ? error.message : String(error) });
    } finally {
      setBusy(false);
    }
  };
  const items = (target: ExportAlso | { list: ExportInput['list']; filter?: ExportInput['filter'] }, suffix = '') => (
    <>
      <Menu.Item leftSection={<IconFileSpreadsheet size={16} />} onClick={() => run({ list: target.list, format: 'xlsx', filter: target.filter })}>
        Excel workbook (.xlsx){suffix}
      </Menu.Item>
      <Menu.Item leftSection={<IconFileText size={16} />} onClick={() => run({ list: target.list, format: 'csv', filter: target.filter })}>
        CSV (.csv){suffix}
      </Menu.Item>
    </>
  );
  return (
    <Menu position="bottom-end" withinPortal>
      <Menu.Target>
        <Button variant="default" leftSection={<IconDownload size={16} />} loading={busy} data-testid={`export-${list}`}>
          Export
        </Button>
      </Menu.Target>
      <Menu.Dropdown>
        {also.length > 0 && <Menu.Label>This list</Menu.Label>}
        {items({ list, filter })}
        {also.map((a) => (
          <div key={a.list} data-testid={`export-also-${a.list}`}>
            <Menu.Divider />
            <Menu.Label>{a.label}</Menu.Label>
            {items(a, ` · ${a.label.toLowerCase()}`)}
          </div>
        ))}
      </Menu.Dropdown>
    </Menu>
  );
}
