import { expect, test } from '@playwright/test';
import { addToCart, enterAddress, expectAccessible, hydrated, newPage, snapshot } from './helpers';

// A second shop started by run.sh takes cards on Stripe, here end2end/fake-stripe.mjs: a stand-in
// for Stripe's API and its hosted payment page, which signs and delivers the webhook as Stripe
// does before it sends the shopper back.
const stripeShop = process.env.SHOP_E2E_STRIPE_SHOP_URL ?? '';

test('a shop on Stripe sends the shopper to the hosted page and the webhook marks the order paid', async ({ browser }, testInfo) => {
  expect(stripeShop, 'run.sh sets SHOP_E2E_STRIPE_SHOP_URL').not.toBe('');
  const page = await newPage(browser, testInfo, stripeShop);
  const title = await addToCart(page, testInfo, 'sneakers', hydrated(testInfo) ? 1 : 2);
  await enterAddress(page, testInfo, `stripe-${testInfo.project.name}@example.com`);
  const main = page.getByRole('main');
  const card = main.getByRole('radio', { name: /^Card/ });
  await expect(card).toBeVisible();
  await card.check();
  await expectAccessible(page, testInfo);
  const total = ((await page.locator('.order-total').textContent()) ?? '').trim();
  await main.getByRole('button', { name: /^Place order/ }).click();

  // Card numbers are typed on the provider's page, never on the shop's.
  await expect(page).toHaveURL(/^http:\/\/127\.0\.0\.1:\d+\/c\/pay\/cs_test_e2e[0-9a-f]+$/);
  expect(new URL(page.url()).origin).not.toBe(new URL(stripeShop).origin);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Fake Stripe Checkout');
  const due = ((await page.locator('#amount').textContent()) ?? '').trim();
  expect(due.replace(/\D/g, ''), `the hosted page asks for the order's total (${total})`).toBe(total.replace(/\D/g, ''));
  await page.getByRole('button', { name: /^Pay / }).click();

  await expect(page).toHaveURL(/\/orders\/[a-z0-9]+\?key=.*paid=1/);
  expect(new URL(page.url()).origin).toBe(new URL(stripeShop).origin);
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Paid');
  await expect(page.getByRole('table', { name: 'Items' })).toContainText(title);
  await expect(page.locator('.order-total')).toHaveText(total);
  await snapshot(page, 'stripe-order-paid', testInfo);

  // The built-in test provider does not exist in this configuration: its card page has no
  // payment to show, whatever is asked.
  const testpay = await page.request.get(`${stripeShop}/api/testpay/get?id=pi_anything&secret=x`);
  expect(testpay.status()).toBe(404);
  await page.context().close();
});
