import { expect, test } from '@playwright/test';
import { expectAccessible, hydrated, open, openProduct } from './helpers';

test('a shopper adds a size to the cart, changes the quantity and removes it', async ({ browser }, testInfo) => {
  const context = await browser.newContext({ baseURL: testInfo.project.use.baseURL, javaScriptEnabled: hydrated(testInfo) });
  const page = await context.newPage();
  const slot = testInfo.project.name === 'no-js' ? 5 : 4;
  await open(page, '/categories/boots', testInfo);
  const title = await openProduct(page, slot);

  // A size that is in stock.
  const choice = page.getByRole('group', { name: 'Size' }).getByRole('radio', { name: /In stock/ }).first();
  const size = ((await choice.getAttribute('id')) ?? '');
  const label = ((await page.locator(`label[for="${size}"] .variant-name`).textContent()) ?? '').trim();
  await choice.check();
  if (!hydrated(testInfo)) {
    await page.getByRole('button', { name: 'Show this option' }).click();
    await expect(page).toHaveURL(/variant=/);
  }
  await expect(page.getByRole('group', { name: 'Size' }).getByRole('radio', { name: new RegExp(label) })).toBeChecked();
  await page.getByLabel('Quantity', { exact: true }).fill('2');
  await page.getByRole('button', { name: 'Add to cart' }).click();
  if (hydrated(testInfo)) {
    await expect(page.getByRole('status').filter({ hasText: 'Added to your cart.' })).toBeVisible();
    await expect(page.getByRole('link', { name: 'Cart 2 items' })).toBeVisible();
    await page.getByRole('link', { name: 'View cart' }).click();
  }
  await expect(page).toHaveURL(/\/cart/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Your cart');
  const line = page.locator('.cart-line', { hasText: title });
  await expect(line).toContainText(label);
  const quantity = page.getByLabel(`Quantity of ${title}, ${label}`);
  await expect(quantity).toHaveValue('2');
  await expect(page.locator('.cart-summary')).toContainText('Subtotal (2 items)');
  await expectAccessible(page, testInfo);

  await quantity.fill('1');
  await line.getByRole('button', { name: 'Update' }).click();
  await expect(page.locator('.cart-summary')).toContainText('Subtotal (1 item)');
  await expect(page.getByLabel(`Quantity of ${title}, ${label}`)).toHaveValue('1');

  await page.getByRole('button', { name: `Save for later: ${title}, ${label}` }).click();
  await expect(page.getByRole('heading', { name: 'Saved for later' })).toBeVisible();
  await page.getByRole('button', { name: `Remove ${title}, ${label}` }).click();
  await expect(page.getByText('Your cart is empty.')).toBeVisible();
  await context.close();
});
