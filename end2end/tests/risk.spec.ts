import { expect, test } from '@playwright/test';
import { addToCart, adminPage, createAccount, expectAccessible, hydrated, newPage, open, snapshot } from './helpers';

// A fresh account with a throwaway e-mail address, billed in France and delivered to Germany:
// the fraud rules hold the order; staff see why, approve it, and only then can it be packed.
test('a risky order is held with its reasons, approved by staff, then fulfilled', async ({ browser }, testInfo) => {
  test.setTimeout(90_000);
  const page = await newPage(browser, testInfo);
  const email = `risk-${testInfo.project.name}-${Date.now()}@mailinator.com`;
  // A street of its own, so earlier runs' orders do not count as the same address.
  const street = `Lindenallee ${(Date.now() % 900) + 100}`;
  await createAccount(page, browser, email, testInfo);
  await addToCart(page, testInfo, 'sneakers', hydrated(testInfo) ? 3 : 4);
  await open(page, '/checkout', testInfo);
  const main = page.getByRole('main');
  await main.getByLabel('E-mail (for your receipt)').fill(email);
  await main.getByRole('textbox', { name: 'Full name' }).fill('Max Schnell');
  await main.getByRole('textbox', { name: 'Street and number' }).fill(street);
  await main.getByRole('textbox', { name: 'Postal code' }).fill('20095');
  await main.getByRole('textbox', { name: 'Town or city' }).fill('Hamburg');
  await main.getByRole('combobox', { name: 'Country' }).selectOption('DE');
  // The billing address appears once the box is ticked (CSS alone: with JavaScript off too).
  const billing = main.getByRole('group', { name: 'Billing address' });
  await expect(billing).toBeHidden();
  await main.getByLabel('Bill to a different address').check();
  await expect(billing).toBeVisible();
  await billing.getByRole('textbox', { name: 'Full name' }).fill('Max Schnell');
  await billing.getByRole('textbox', { name: 'Street and number' }).fill('12 rue des Lilas');
  await billing.getByRole('textbox', { name: 'Postal code' }).fill('75011');
  await billing.getByRole('textbox', { name: 'Town or city' }).fill('Paris');
  await billing.getByRole('combobox', { name: 'Country' }).selectOption('FR');
  await expectAccessible(page, testInfo);
  await main.getByRole('button', { name: 'Continue to shipping' }).click();
  await expect(main.getByRole('group', { name: 'Shipping method' }).getByRole('radio', { name: /Standard/ })).toBeChecked();
  await main.getByRole('radio', { name: /Bank transfer/ }).check();
  await main.getByRole('button', { name: /^Place order/ }).click();
  await expect(page).toHaveURL(/\/orders\//);
  const number = ((await page.getByRole('heading', { level: 1 }).textContent()) ?? '').match(/Order (\d+)/)?.[1];
  expect(number).toBeTruthy();
  await expect(page.getByRole('region', { name: 'Billing address' })).toContainText('rue des Lilas');

  // Staff: the order waits in the risk review with its reasons.
  const admin = await adminPage(browser, testInfo);
  await open(admin, '/admin/risk', testInfo);
  const item = admin.getByRole('listitem').filter({ has: admin.getByRole('heading', { name: `Order ${number}` }) });
  await expect(item).toContainText('a provider of throwaway addresses');
  await expect(item).toContainText('Billed to France but delivered to Germany.');
  await expect(item).toContainText('60 of 100');
  // The demo's card order, held once it paid: its card was declined six times first.
  const held = admin.getByRole('listitem').filter({ has: admin.getByRole('heading', { name: /^Order \d+/ }) });
  await expect(held.filter({ hasText: '6 declined card attempts before the payment went through.' })).toHaveCount(1);
  await expectAccessible(admin, testInfo);
  await snapshot(admin, 'risk-review', testInfo);

  // Held: paid, yet nothing can be packed before a decision.
  await item.getByRole('link', { name: `Order ${number}` }).click();
  await expect(admin.getByRole('status').filter({ hasText: 'Held for a risk review' })).toBeVisible();
  await admin.getByRole('button', { name: 'Mark as paid' }).click();
  await expect(admin.getByRole('heading', { level: 1 })).toContainText('Paid');
  await expect(admin.getByRole('button', { name: 'Fulfil these units' })).toHaveCount(0);

  await open(admin, '/admin/risk', testInfo);
  await admin.getByRole('button', { name: `Approve order ${number}` }).click();
  await expect(admin.getByRole('status').filter({ hasText: 'Decision saved.' })).toBeVisible();
  await expect(admin.getByRole('button', { name: `Approve order ${number}` })).toHaveCount(0);
  await expect(admin.getByRole('table', { name: /Recent risk decisions/ })).toContainText('Approved');

  await open(admin, '/admin/orders', testInfo);
  await admin.getByRole('link', { name: `Order ${number}`, exact: true }).click();
  await admin.getByRole('button', { name: 'Fulfil these units' }).click();
  await expect(admin.getByRole('heading', { level: 1 })).toContainText('Packed');
  await admin.context().close();
  await page.context().close();
});
