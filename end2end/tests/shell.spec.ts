import { expect, test } from '@playwright/test';
import { expectAccessible, hydrated, open, snapshot } from './helpers';

test('the home page is server-rendered, hydrates and has its landmarks', async ({ page }, testInfo) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));

  const response = await open(page, '/', testInfo);
  expect(response?.status()).toBe(200);
  await expect(page).toHaveTitle('Demo Shop');
  await expect(page.getByRole('heading', { level: 1, name: 'Welcome to Demo Shop' })).toBeVisible();
  await expect(page.getByRole('banner').getByRole('link', { name: 'Demo Shop' })).toBeVisible();
  await expect(page.getByRole('search').first()).toBeVisible();
  await expect(page.getByRole(hydrated(testInfo) ? 'combobox' : 'searchbox', { name: 'Search products' }).first()).toBeVisible();
  await expect(page.getByRole('link', { name: /Cart/ })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Account' })).toBeVisible();
  await expect(page.getByRole('main')).toBeVisible();
  await expect(page.getByRole('contentinfo')).toBeVisible();
  if (hydrated(testInfo)) {
    await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  }
  await expectAccessible(page, testInfo);
  await snapshot(page, 'home-desktop', testInfo);
  expect(errors).toEqual([]);
});

test('the skip link moves keyboard users to the main content', async ({ page }, testInfo) => {
  await open(page, '/', testInfo);
  await page.keyboard.press('Tab');
  const skip = page.getByRole('link', { name: 'Skip to main content' });
  await expect(skip).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/#main$/);
});

test('the layout fits a small phone without sideways scrolling', async ({ page }, testInfo) => {
  await page.setViewportSize({ width: 360, height: 640 });
  await open(page, '/', testInfo);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  const searchButton = page.getByRole('button', { name: 'Search' }).first();
  const box = await searchButton.boundingBox();
  expect(box?.height ?? 0).toBeGreaterThanOrEqual(44);
  await snapshot(page, 'home-360', testInfo);
});

test('an unknown address shows the 404 page with a search box', async ({ page }, testInfo) => {
  const response = await open(page, '/no/such/page', testInfo);
  expect(response?.status()).toBe(404);
  await expect(page.getByRole('heading', { level: 1, name: 'We could not find that page' })).toBeVisible();
  await expect(page).toHaveTitle('Page not found · Demo Shop');
  const search = page.getByRole('main').getByRole(hydrated(testInfo) ? 'combobox' : 'searchbox', { name: 'Search products' });
  await expect(search).toBeVisible();
  await expectAccessible(page, testInfo);
});
