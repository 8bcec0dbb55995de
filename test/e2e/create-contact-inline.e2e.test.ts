import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Shell } from './pages/shell';
import { SubscriptionForm } from './pages/subscriptions';
import { choose, field } from './pages/forms';
import { type RunningApp, screenshotPath, startApp } from './support/app';

let app: RunningApp;

beforeAll(async () => {
  app = await startApp();
  await app.t.call('staff.create', { name: 'Priya Raman', role: 'Engineer' });
});
afterAll(async () => {
  await app?.close();
});

describe('a contact created from the New subscription form', () => {
  it('is offered for what was typed when no contact matches, created over the form, and chosen without losing what was filled in', async () => {
    const shell = new Shell(app.page);
    await app.goto('/subscriptions/new');
    const form = new SubscriptionForm(app.page);
    // Filled first, so losing it would show.
    await form.name.fill('Slip 14');
    await choose(app.page, form.engineer, '', /Priya Raman/);

    await form.contact.click();
    await form.contact.fill('Jane van Dyke');
    const offer = app.page.getByRole('option').filter({ hasText: 'Create contact ‘Jane van Dyke’' });
    await offer.waitFor();
    await app.page.screenshot({ path: screenshotPath('create-contact-offered.png') });
    await offer.click();

    const modal = app.page.getByRole('dialog', { name: 'New contact' });
    await modal.waitFor();
    expect(await field(modal, 'First name').inputValue()).toBe('Jane');
    expect(await field(modal, 'Last name').inputValue()).toBe('van Dyke');
    await modal.getByRole('button', { name: 'Save', exact: true }).click();
    await shell.notification('Contact created').waitFor();
    await modal.waitFor({ state: 'detached' });

    // The new contact is chosen and the rest of the form is as it was; no subscription yet.
    await expect.poll(() => form.contact.inputValue()).toContain('Jane van Dyke');
    expect(await form.name.inputValue()).toBe('Slip 14');
    expect(await form.engineer.inputValue()).toContain('Priya Raman');
    expect((await app.t.call('subscriptions.list', {})).rows).toHaveLength(0);
    await app.page.screenshot({ path: screenshotPath('create-contact-chosen.png') });

    await form.save();
    await app.page.waitForURL(/#\/subscriptions\/\d+/);
    const [sub] = (await app.t.call('subscriptions.list', {})).rows;
    expect(sub).toMatchObject({ name: 'Slip 14' });
    const contacts = await app.t.call('contacts.list', { query: 'Dyke' });
    expect(contacts.rows.map((c) => c.displayName)).toEqual(['Jane van Dyke']);
  });
});
