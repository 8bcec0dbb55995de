import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BackupSection } from './pages/backups';
import { type RunningApp, screenshotPath, startApp } from './support/app';

let app: RunningApp;
let folder: string;

beforeAll(async () => {
  app = await startApp();
  folder = mkdtempSync(join(tmpdir(), 'towerline-e2e-backups-'));
});
afterAll(async () => {
  await app?.close();
  rmSync(folder, { recursive: true, force: true });
});

describe('backups from the Billing settings', () => {
  it('chooses a folder, backs up now, lists the backup and shows when it was taken', async () => {
    await app.t.call('contacts.create', { firstName: 'Ada', lastName: 'Lovelace' });
    const backups = new BackupSection(app.page);
    await app.goto('/billing/settings');
    await backups.root.waitFor();
    await expect.poll(() => backups.last.textContent()).toMatch(/No backup has been taken yet/);
    await backups.folder.fill(folder);
    await backups.keep.fill('5');
    await backups.save.click();
    await expect.poll(async () => (await app.t.call('backups.settings', {})).folder).toBe(folder);

    await backups.backUpNow.click();
    await expect.poll(() => backups.rows.count()).toBe(1);
    const [file] = readdirSync(folder);
    expect(file).toMatch(/^towerline-\d{4}-\d{2}-\d{2}-\d{6}Z\.sqlite$/);
    expect(await backups.rows.first().textContent()).toContain(file);
    await expect.poll(() => backups.last.textContent()).toMatch(/Last backup: .*Succeeded/);
    await app.page.screenshot({ path: screenshotPath('backups.png'), fullPage: true });
    expect(app.problems).toEqual([]);
  });

  it('refuses a file that is not a backup inside the dialog, and restores a real one after saying what happens', async () => {
    const backups = new BackupSection(app.page);
    const notes = join(folder, 'notes.sqlite');
    writeFileSync(notes, 'these are not the data you are looking for');
    await backups.otherFile.fill(notes);
    await backups.restoreOther.click();
    await backups.modal.waitFor();
    await backups.confirm.click();
    await expect.poll(() => backups.restoreError.textContent()).toMatch(/not an SQLite database/);
    await app.page.screenshot({ path: screenshotPath('backups-restore-refused.png') });
    await app.page.keyboard.press('Escape');
    await backups.modal.waitFor({ state: 'hidden' });

    await app.t.call('contacts.create', { firstName: 'Grace', lastName: 'Hopper' });
    await backups.rows.first().getByRole('button', { name: 'Restore' }).click();
    await backups.modal.waitFor();
    expect(await backups.modal.textContent()).toMatch(/Everything entered since that backup was taken .* will no longer be shown/);
    expect(await backups.modal.textContent()).toMatch(/kept in the data directory as towerline-replaced-/);
    await app.page.screenshot({ path: screenshotPath('backups-restore-confirm.png') });
    await backups.confirm.click();
    await backups.modal.waitFor({ state: 'hidden' });
    await app.page.getByText('Backup restored').waitFor();
    const contacts = await app.t.call('contacts.list', {});
    expect(contacts.rows.map((c) => c.lastName)).toEqual(['Lovelace']);
    expect(readdirSync(app.t.dataDir).some((n) => /^towerline-replaced-.*\.sqlite$/.test(n))).toBe(true);
    expect(app.problems).toEqual([]);
  });
});
