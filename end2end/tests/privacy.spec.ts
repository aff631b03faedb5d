import { expect, test } from '@playwright/test';
import * as fs from 'node:fs';
import { PASSWORD, addToCart, adminPage, createAccount, enterAddress, expectAccessible, hydrated, newPage, open, snapshot } from './helpers';

test('a customer downloads everything the shop holds about them as JSON', async ({ browser }, testInfo) => {
  const page = await newPage(browser, testInfo);
  const email = `export-${testInfo.project.name}-${Date.now()}@example.com`;
  await createAccount(page, browser, email, testInfo);
  await open(page, '/account', testInfo);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Download your data (JSON)' }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^personal-data-\d{4}-\d{2}-\d{2}\.json$/);
  const data = JSON.parse(fs.readFileSync(await download.path(), 'utf8'));
  expect(data.format).toBe('shop.personal-data/1');
  expect(data.account.email).toBe(email);
  expect(data.account.email_confirmed).toBe(true);
  expect(data.sign_in.sessions.length).toBeGreaterThan(0);
  expect(data.orders).toEqual([]);
  // (The security events come from the audit log, which takes entries a moment after they
  // happen; the Rust test checks them.)
  expect(Array.isArray(data.security_events)).toBe(true);
  // Nothing in it opens the account.
  expect(JSON.stringify(data)).not.toContain('$argon2');
});

// Erasure that keeps the books: the export first, then the account goes (re-authenticated);
// the finished order stays in the console under a pseudonym and nobody can sign in with the
// old address any more.
test('a customer exports their data, deletes the account, and the order stays under a pseudonym', async ({ browser }, testInfo) => {
  test.setTimeout(90_000);
  const page = await newPage(browser, testInfo);
  const email = `erase-${testInfo.project.name}-${Date.now()}@example.com`;
  await createAccount(page, browser, email, testInfo);
  await addToCart(page, testInfo, 'sneakers', hydrated(testInfo) ? 5 : 6);
  await enterAddress(page, testInfo, email);
  const main = page.getByRole('main');
  await main.getByRole('radio', { name: /Bank transfer/ }).check();
  await main.getByRole('button', { name: /^Place order/ }).click();
  await expect(page).toHaveURL(/\/orders\//);
  const number = ((await page.getByRole('heading', { level: 1 }).textContent()) ?? '').match(/Order (\d+)/)?.[1];
  expect(number).toBeTruthy();

  // An unpaid order stops the deletion, with the order named.
  await open(page, '/account', testInfo);
  await page.getByRole('link', { name: 'Delete your account' }).click();
  await expect(page).toHaveURL(/\/account\/delete$/);
  await expectAccessible(page, testInfo);
  await snapshot(page, 'delete-account', testInfo);
  await page.getByLabel('Current password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Delete my account for good' }).click();
  await expect(page.getByRole('alert').filter({ hasText: `#${number}` })).toBeVisible();

  // Cancelled, the order is finished. The export holds it.
  await open(page, '/account/orders', testInfo);
  await page.getByRole('link', { name: new RegExp(`Order ${number}`) }).first().click();
  await page.getByRole('button', { name: 'Cancel this order' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Cancelled');
  await open(page, '/account', testInfo);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Download your data (JSON)' }).click(),
  ]);
  const data = JSON.parse(fs.readFileSync(await download.path(), 'utf8'));
  expect(data.account.email).toBe(email);
  expect(data.orders).toHaveLength(1);
  expect(data.orders[0].number).toBe(Number(number));
  expect(data.orders[0].address.full_name).toBe('Erika Mustermann');

  // A wrong password changes nothing; the right one deletes the account.
  await open(page, '/account/delete', testInfo);
  await page.getByLabel('Current password').fill('not my password');
  await page.getByRole('button', { name: 'Delete my account for good' }).click();
  await expect(page.getByText('Your current password is not correct.')).toBeVisible();
  await page.getByLabel('Current password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Delete my account for good' }).click();
  await expect(page).toHaveURL(/\/account\/deleted\?ref=C-/);
  const pseudonym = new URL(page.url()).searchParams.get('ref') as string;
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Your account was deleted');
  await expect(page.getByRole('main')).toContainText(pseudonym);
  await snapshot(page, 'account-deleted', testInfo);

  // Signed out, and the address no longer signs in.
  await open(page, '/account', testInfo);
  await expect(page).toHaveURL(/\/account\/sign-in/);
  await page.getByRole('main').getByRole('textbox', { name: 'E-mail address' }).fill(email);
  await page.getByRole('main').getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page.getByText('The e-mail address or password is wrong.')).toBeVisible();

  // Staff: the order is still there with its total, under the pseudonym; the address is not.
  const admin = await adminPage(browser, testInfo);
  await open(admin, `/admin/orders?q=%23${number}`, testInfo);
  const row = admin.getByRole('row').filter({ hasText: `Erased customer ${pseudonym}` });
  await expect(row).toHaveCount(1);
  await expect(row).toContainText('€');
  await open(admin, `/admin/orders?q=${encodeURIComponent(email)}`, testInfo);
  await expect(admin.getByRole('row').filter({ hasText: pseudonym })).toHaveCount(0);
  await admin.context().close();
  await page.context().close();
});

// Requests made by e-mail or letter: staff record one, see its deadline, answer it.
test('staff record a privacy request, see its 30-day deadline and answer it', async ({ browser }, testInfo) => {
  const admin = await adminPage(browser, testInfo);
  const email = `asks-${testInfo.project.name}-${Date.now()}@example.com`;
  await open(admin, '/admin/privacy', testInfo);
  await expect(admin.getByRole('heading', { level: 1 })).toHaveText('Privacy requests');
  await admin.getByLabel("The person's e-mail address").fill(email);
  await admin.getByRole('radio', { name: 'a copy of their data' }).check();
  await admin.getByRole('button', { name: 'Record the request' }).click();
  const row = admin.getByRole('row').filter({ hasText: email });
  await expect(row).toHaveCount(1);
  await expect(row).toContainText('A copy of their data');
  await expect(row).toContainText('No account with this address');
  // Due 30 days after it was received (the first cell; a minute's rounding either way).
  const due = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
  await expect(row.getByRole('cell').first()).toContainText(due);
  await expectAccessible(admin, testInfo);
  await snapshot(admin, 'privacy-requests', testInfo);
  await row.getByRole('button', { name: `Mark the request of ${email} answered` }).click();
  await expect(admin.getByRole('row').filter({ hasText: email })).toHaveCount(0);
  await expect(admin.getByRole('table', { name: /Closed privacy requests/ })).toContainText('Answered');
  await admin.context().close();
});
