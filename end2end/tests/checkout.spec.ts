import { expect, test, type Page, type TestInfo } from '@playwright/test';
import { ADMIN, adminPage, addToCart, createAccount, enterAddress, expectAccessible, hydrated, localPushService, newPage, open, signIn, snapshot } from './helpers';

async function payByCard(page: Page, number: string) {
  await expect(page).toHaveURL(/\/testpay\/pi_/);
  await expect(page.getByText('Test payment provider')).toBeVisible();
  await page.getByLabel('Card number').fill(number);
  await page.getByLabel('Expiry (MM/YY)').fill('12/34');
  await page.getByLabel('Security code').fill('123');
  await page.getByRole('button', { name: /^Pay / }).click();
}

test('a guest checks out and pays with the test card that succeeds', async ({ browser }, testInfo) => {
  const page = await newPage(browser, testInfo);
  const title = await addToCart(page, testInfo, 'sneakers', hydrated(testInfo) ? 1 : 2);
  await enterAddress(page, testInfo, `guest-${testInfo.project.name}@example.com`);
  await expectAccessible(page, testInfo);
  await snapshot(page, 'checkout', testInfo);
  const total = ((await page.locator('.order-total').textContent()) ?? '').trim();
  await page.getByRole('button', { name: /^Place order/ }).click();

  await payByCard(page, '4242 4242 4242 4242');
  await expect(page).toHaveURL(/\/orders\/[a-z0-9]+\?key=.*paid=1/);
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Paid');
  await expect(page.getByRole('status').filter({ hasText: 'Thank you' })).toBeVisible();
  await expect(page.getByRole('table', { name: 'Items' })).toContainText(title);
  await expect(page.locator('.order-total')).toHaveText(total);
  await expectAccessible(page, testInfo);
  await snapshot(page, 'order-paid', testInfo);

  await page.getByRole('link', { name: /Invoice \d+/ }).click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Invoice');
  await open(page, '/cart', testInfo);
  await expect(page.getByText('Your cart is empty.')).toBeVisible();
  await page.context().close();
});

test('a declined card shows the reason and keeps the cart; a card that asks for authentication then pays', async ({ browser }, testInfo) => {
  const page = await newPage(browser, testInfo);
  const title = await addToCart(page, testInfo, 'sneakers', hydrated(testInfo) ? 3 : 4);
  await enterAddress(page, testInfo, `declined-${testInfo.project.name}@example.com`);
  await page.getByRole('button', { name: /^Place order/ }).click();

  await payByCard(page, '4000 0000 0000 0002');
  await expect(page).toHaveURL(/\/orders\//);
  await expect(page.getByRole('alert').filter({ hasText: 'did not go through' })).toContainText('Your card was declined.');
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Awaiting payment');
  await expectAccessible(page, testInfo);
  const orderUrl = page.url();
  await open(page, '/cart', testInfo);
  await expect(page.locator('.cart-line', { hasText: title })).toBeVisible();

  await open(page, new URL(orderUrl).pathname + new URL(orderUrl).search, testInfo);
  await page.getByRole('button', { name: 'Pay now' }).click();
  await payByCard(page, '4000 0027 6000 3184');
  await expect(page).toHaveURL(/\/authenticate/);
  await expect(page.getByRole('heading', { name: 'Confirm your payment' })).toBeVisible();
  await expectAccessible(page, testInfo);
  await page.getByRole('button', { name: 'Complete authentication' }).click();
  await expect(page).toHaveURL(/\/orders\//);
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Paid');
  await page.context().close();
});

test('a signed-in shopper checks out with a saved address and finds the order in the history', async ({ browser }, testInfo) => {
  // Registration, checkout and the staff's three steps: more than the default 30 s.
  test.setTimeout(90_000);
  const page = await newPage(browser, testInfo);
  const email = `buyer-${testInfo.project.name}-${Date.now()}@example.com`;
  await createAccount(page, browser, email, testInfo);
  await open(page, '/account/addresses', testInfo);
  const main = page.getByRole('main');
  await main.getByRole('textbox', { name: 'Full name' }).fill('Max Mustermann');
  await main.getByRole('textbox', { name: 'Street and number' }).fill('Marienplatz 1');
  await main.getByRole('textbox', { name: 'Postal code' }).fill('80331');
  await main.getByRole('textbox', { name: 'Town or city' }).fill('München');
  await main.getByRole('combobox', { name: 'Country' }).selectOption('DE');
  await main.getByRole('button', { name: 'Save address' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'saved' })).toBeVisible();

  // The shopper turns on order notifications (the browser's side is played by a local push
  // service: headless Chromium has no push service to reach).
  const push = await localPushService();
  const subscribed = await page.request.post('/api/push/subscribe', {
    headers: { accept: 'application/json' },
    data: { ...push.subscription, topics: ['order_status'] },
  });
  expect(subscribed.status()).toBe(200);

  await addToCart(page, testInfo, 'boots', hydrated(testInfo) ? 6 : 7);
  await open(page, '/checkout', testInfo);
  await expect(main.getByLabel('E-mail (for your receipt)')).toHaveValue(email);
  await main.getByRole('radio', { name: /Max Mustermann, Marienplatz 1/ }).check();
  await main.getByRole('button', { name: 'Continue to shipping' }).click();
  await expect(main.getByRole('group', { name: 'Shipping method' }).getByRole('radio', { name: /Standard/ })).toBeChecked();
  await main.getByRole('radio', { name: /Bank transfer/ }).check();
  await main.getByRole('button', { name: /^Place order/ }).click();

  await expect(page).toHaveURL(/\/orders\//);
  const heading = ((await page.getByRole('heading', { level: 1 }).textContent()) ?? '').trim();
  const number = heading.match(/Order (\d+)/)?.[1];
  expect(number).toBeTruthy();
  await expect(page.getByText(`quoting "Order ${number}"`)).toBeVisible();
  await expect(page.locator('address')).toContainText('Marienplatz 1');

  const orderPath = new URL(page.url()).pathname;

  await open(page, '/account/orders', testInfo);
  await expect(page.getByRole('link', { name: `Order ${number}` })).toBeVisible();
  await expectAccessible(page, testInfo);

  // Staff take it from here: the money arrived, it is packed and shipped.
  const admin = await adminPage(browser, testInfo);
  await open(admin, '/admin/orders', testInfo);
  await admin.getByRole('link', { name: `Order ${number}`, exact: true }).click();
  await admin.getByRole('button', { name: 'Mark as paid' }).click();
  await expect(admin.getByRole('heading', { level: 1 })).toContainText('Paid');
  // Packing: the parcel form offers every unit left to send.
  await admin.getByRole('button', { name: 'Fulfil these units' }).click();
  await expect(admin.getByRole('heading', { level: 1 })).toContainText('Packed');
  await expect(admin.getByRole('heading', { name: 'Shipments' })).toBeVisible();
  await admin.getByLabel('Add a note (staff only)').fill('Packed with extra care');
  await admin.getByRole('button', { name: 'Add note' }).click();
  await expect(admin.getByText('Packed with extra care')).toBeVisible();
  await admin.getByLabel('Change the status to').selectOption('shipped');
  await admin.getByRole('button', { name: 'Update status' }).click();
  await expect(admin.getByRole('alert').filter({ hasText: 'tracking number' })).toBeVisible();
  await admin.getByLabel('Change the status to').selectOption('shipped');
  await admin.getByLabel('Carrier (when shipping)').fill('DHL');
  await admin.getByLabel('Tracking number (when shipping)').fill('JJD0099');
  await admin.getByRole('button', { name: 'Update status' }).click();
  await expect(admin.getByRole('heading', { level: 1 })).toContainText('Shipped');
  // The push service received the shipping news, encrypted for this device only.
  await expect
    .poll(() => push.messages().map((m) => m.title), { timeout: 15_000 })
    .toContain(`Order ${number}: Shipped`);
  expect(push.messages().find((m) => m.title.endsWith('Shipped'))?.url).toBe(orderPath);
  await push.close();
  await expectAccessible(admin, testInfo);
  await snapshot(admin, 'admin-order', testInfo);

  // The customer sees it, and was told by mail.
  await open(page, orderPath, testInfo);
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Shipped');
  await expect(page.getByText('JJD0099')).toBeVisible();
  let mailed = 0;
  for (let attempt = 0; attempt < 20 && mailed === 0; attempt++) {
    await open(admin, '/admin/mailbox', testInfo);
    mailed = await admin.getByRole('article').filter({ hasText: `To ${email}` }).filter({ hasText: `Order ${number}: Shipped` }).count();
    if (mailed === 0) await admin.waitForTimeout(250);
  }
  expect(mailed, 'the shipping mail').toBeGreaterThan(0);
  await admin.context().close();
  await page.context().close();
});
