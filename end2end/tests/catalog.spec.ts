import { expect, test } from '@playwright/test';
import { PASSWORD, createAccount, expectAccessible, hydrated, newPage, open, signIn } from './helpers';

test('a shopper browses a category, sorts it by price and opens a product', async ({ page }, testInfo) => {
  await open(page, '/categories/sneakers', testInfo);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Sneakers');
  await expect(page.getByText(/25 products · page 1 of 2/)).toBeVisible();
  await expectAccessible(page, testInfo);

  // Narrow to one brand: the count beside it is what the page then shows.
  const brandBox = page.getByRole('group', { name: 'Brand' }).getByRole('checkbox').first();
  const brandLabel = (await page.getByRole('group', { name: 'Brand' }).locator('label').first().textContent()) ?? '';
  const [, brandName, brandCount] = brandLabel.match(/^(.*) \((\d+)\)$/) ?? [];
  await brandBox.check();
  await page.getByRole('button', { name: 'Apply' }).click();
  await expect(page.getByText(new RegExp(`^${brandCount} products`))).toBeVisible();
  for (const brand of await page.locator('.product-grid .product-brand').allTextContents()) {
    expect(brand).toBe(brandName);
  }
  await page.getByRole('link', { name: 'Clear filters' }).click();
  await expect(page.getByText(/25 products · page 1 of 2/)).toBeVisible();

  await page.getByLabel('Sort by').selectOption('price_asc');
  await page.getByRole('button', { name: 'Apply' }).click();
  await expect(page).toHaveURL(/sort=price_asc/);
  // The address changes before the new page of products arrives (a client-side visit): wait
  // until the grid shows them cheapest first.
  const prices = page.locator('.product-grid .price-now');
  await expect.poll(async () => {
    const values = (await prices.allTextContents()).map((p) => Number(p.replace(/[^0-9.]/g, '')));
    return values.length > 1 && values.every((v, i) => i === 0 || values[i - 1] <= v);
  }).toBe(true);

  await page.getByRole('link', { name: 'Next page' }).click();
  await expect(page).toHaveURL(/page=2/);
  await expect(page.getByText(/page 2 of 2/)).toBeVisible();

  const first = page.locator('.product-grid .product-title').first();
  const title = (await first.textContent()) ?? '';
  await first.click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(title);
  await expect(page.getByRole('navigation', { name: 'Breadcrumb' }).getByRole('link', { name: 'Sneakers' })).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Breadcrumb' }).getByRole('link', { name: 'Shoes' })).toBeVisible();
  // Pictures load at a size that fits, with alternative text.
  const picture = page.getByRole('region', { name: 'Pictures' }).locator('img').first();
  await expect(picture).toHaveAttribute('alt', /.+/);
  await expect(picture).toHaveAttribute('srcset', /320w/);
  // The first request for a picture paints and resizes it: give it time.
  await expect
    .poll(() => picture.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0), { timeout: 20_000 })
    .toBe(true);
  await expectAccessible(page, testInfo);

  // Pick a size: its availability shows and the choice is in the URL.
  const sizes = page.getByRole('group', { name: 'Size' });
  await sizes.getByRole('radio', { name: /EU 44/ }).check();
  if (!hydrated(testInfo)) await page.getByRole('button', { name: 'Show this option' }).click();
  await expect(page).toHaveURL(/variant=/);
  await expect(sizes.getByRole('radio', { name: /EU 44/ })).toBeChecked();
  await expect(page.locator('.selected-variant .availability')).toHaveText(/In stock|Only \d+ left|Sold out/);
  const sku = (await page.locator('.selected-variant .sku').textContent()) ?? '';
  expect(sku).toMatch(/SKU-\d{6}-07/);
});

test('a shopper narrows a department by an option value', async ({ page }, testInfo) => {
  await open(page, '/categories/shoes', testInfo);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Shoes');
  const size = page.getByRole('group', { name: 'Size' });
  const label = (await size.locator('label', { hasText: 'EU 38' }).textContent()) ?? '';
  const count = label.match(/\((\d+)\)/)?.[1];
  await size.getByRole('checkbox', { name: /EU 38/ }).check();
  await page.getByRole('button', { name: 'Apply' }).click();
  await expect(page).toHaveURL(/f=Size%3AEU(\+|%20)38/);
  await expect(page.getByText(new RegExp(`^${count} products`))).toBeVisible();
  await expectAccessible(page, testInfo);
});

test('favourites saved while signed out join the account at sign-in', async ({ browser }, testInfo) => {
  // A shopper's account, made in another browser.
  const email = `fav-${testInfo.project.name}-${Date.now()}@example.com`;
  const registering = await newPage(browser, testInfo);
  await createAccount(registering, browser, email, testInfo);
  await registering.context().close();

  const context = await browser.newContext({ baseURL: testInfo.project.use.baseURL, javaScriptEnabled: hydrated(testInfo) });
  const page = await context.newPage();
  // A product further down a category, so parallel runs pick different ones.
  const slot = testInfo.project.name === 'no-js' ? 3 : 2;
  await open(page, '/categories/backpacks?sort=price_desc', testInfo);
  const product = page.locator('.product-grid .product-title').nth(slot);
  const title = (await product.textContent()) ?? '';
  await product.click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(title);
  await page.getByRole('button', { name: 'Save to favourites' }).click();
  await expect(page.getByRole('button', { name: 'Remove from favourites' })).toBeVisible();

  await signIn(page, email, PASSWORD, testInfo);
  await page.getByRole('link', { name: 'Your favourites' }).click();
  await expect(page.getByRole('main').getByRole('link', { name: title })).toBeVisible();
  await expectAccessible(page, testInfo);

  // Removing it from the product page takes it off the list.
  await page.getByRole('main').getByRole('link', { name: title }).click();
  await page.getByRole('button', { name: 'Remove from favourites' }).click();
  await expect(page.getByRole('button', { name: 'Save to favourites' })).toBeVisible();
  await open(page, '/account/favourites', testInfo);
  await expect(page.getByRole('main').getByRole('link', { name: title })).toHaveCount(0);
  await context.close();
});
