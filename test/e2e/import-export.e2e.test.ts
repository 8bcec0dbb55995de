import { readFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ListPage } from './pages/lists';
import { ImportWizardPage, exportList } from './pages/import-export';
import { type RunningApp, screenshotPath, startApp } from './support/app';

let app: RunningApp;

const HEADER = 'Customer;E-Mail;Assigned to;Tariff;PPPoE user;MAC;Start date;Status';
const rows = (mac: string) =>
  `\uFEFF${HEADER}\r\nHarriet Quill;harriet@example.com;Priya Raman;Home 25;hquill;AA:BB:CC:00:00:01;2026-01-05;Active\r\nOtto Brandt;otto@example.com;Priya Raman;Home 25;obrandt;${mac};05.01.2026;Active\r\nWren Solace;wren@example.com;Priya Raman;Home 25;wsolace;;1/5/2026;Inactive\r\n`;

beforeAll(async () => {
  app = await startApp();
  await app.t.call('staff.create', { name: 'Priya Raman', role: 'Engineer' });
  await app.t.call('plans.create', { kind: 'Internet', name: 'Home 25', priceCents: 4500, payPeriodMonths: 1, downloadKbps: 25000, uploadKbps: 5000, qosMode: 'Simple queue', accessTechnology: 'wireless' });
});
afterAll(async () => {
  await app?.close();
});

describe('import from Excel and export', () => {
  it('shows the dry run\'s error at its row and column, imports the fixed file, and lists the subscriptions', async () => {
    await app.goto('/subscriptions');
    const wizard = new ImportWizardPage(app.page);
    await wizard.open('subscriptions');
    await app.page.screenshot({ path: screenshotPath('import-1-file.png') });
    await wizard.choose('customers.csv', Buffer.from(rows('not-a-mac'), 'utf8'));
    await wizard.dryRunButton.waitFor();
    await app.page.screenshot({ path: screenshotPath('import-2-mapping.png') });
    await wizard.dryRunButton.click();
    await wizard.errorAt(3, 'MAC').waitFor();
    expect(await wizard.errorRows.count()).toBe(1);
    expect(await wizard.errorAt(3, 'MAC').textContent()).toContain('"not-a-mac" is not a MAC address');
    expect(await wizard.applyButton.isDisabled()).toBe(true);
    await app.page.screenshot({ path: screenshotPath('import-3-report.png') });
    expect((await app.t.call('subscriptions.list', {})).total).toBe(0);

    // Fixed in the spreadsheet program, saved, chosen again.
    await wizard.dialog.locator('input[type=file]').last().setInputFiles({ name: 'customers.csv', mimeType: 'text/csv', buffer: Buffer.from(rows('aa-bb-cc-00-00-02'), 'utf8') });
    await wizard.dryRunButton.click();
    await app.page.getByText('Every row passed the checks').waitFor();
    await wizard.applyButton.click();
    await wizard.result.waitFor();
    expect(await wizard.result.textContent()).toContain('3 created');
    await app.page.screenshot({ path: screenshotPath('import-4-result.png') });
    await wizard.result.getByRole('button', { name: 'Done' }).click();

    const list = new ListPage(app.page, 'subscription-row');
    await expect.poll(() => list.rows.count()).toBe(3);
    expect((await list.rows.allTextContents()).join(' ')).toMatch(/Harriet Quill.*Otto Brandt.*Wren Solace/);
  });

  it('exports the filtered list to XLSX and the file reads back with the same rows', async () => {
    await app.goto('/subscriptions?status=Active');
    const list = new ListPage(app.page, 'subscription-row');
    await expect.poll(() => list.rows.count()).toBe(2);
    const download = await exportList(app.page, 'subscriptions', 'Excel workbook (.xlsx)');
    expect(download.suggestedFilename()).toMatch(/^subscriptions-\d{4}-\d{2}-\d{2}\.xlsx$/);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(readFileSync((await download.path())!) as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    const names: string[] = [];
    ws.eachRow((row, n) => n > 1 && names.push(String(row.getCell(2).value)));
    expect(names.sort()).toEqual(['Harriet Quill', 'Otto Brandt']);
    expect(ws.getRow(1).getCell(1).value).toBe('Unique ID');
    expect(ws.getCell('X2').value).toBeInstanceOf(Date);

    // The exported file imported again changes nothing, and says so.
    const wizard = new ImportWizardPage(app.page);
    await wizard.open('subscriptions');
    await wizard.choose(download.suggestedFilename(), readFileSync((await download.path())!));
    await wizard.dryRunButton.click();
    await app.page.getByTestId('import-report').getByText('2 already there').waitFor();
    await wizard.applyButton.click();
    await wizard.result.waitFor();
    expect(await wizard.result.textContent()).toContain('Every row is already there');
    await app.page.screenshot({ path: screenshotPath('import-5-already-there.png') });
    await wizard.result.getByRole('button', { name: 'Done' }).click();
    await app.page.getByTestId('export-subscriptions').click();
    await app.page.screenshot({ path: screenshotPath('export-menu.png') });
    await app.page.keyboard.press('Escape');

    // Every service, across subscriptions (the filter above does not apply), from the same menu.
    const services = await exportList(app.page, 'subscriptions', 'CSV (.csv)', 'All services');
    expect(services.suggestedFilename()).toMatch(/^services-\d{4}-\d{2}-\d{2}\.csv$/);
    const text = readFileSync((await services.path())!, 'utf8');
    for (const login of ['hquill', 'obrandt', 'wsolace']) expect(text).toContain(login);
  });

  it('exports the aging report from the billing page', async () => {
    await app.goto('/billing');
    await app.page.getByRole('tab', { name: /aging/i }).click();
    const download = await exportList(app.page, 'aging', 'Excel workbook (.xlsx)');
    expect(download.suggestedFilename()).toMatch(/\.xlsx$/);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(readFileSync((await download.path())!) as unknown as ArrayBuffer);
    expect(wb.worksheets[0]!.getRow(1).getCell(1).value).toBeTruthy();
  });
});
