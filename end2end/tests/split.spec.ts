// The browser code is split per page (app/src/shell/pages.rs): moving between pages loads
// their chunks on the way, back and forward work, and a chunk that cannot be downloaded still
// leaves the shopper on the page they asked for, as plain HTML.
import { expect, test } from '@playwright/test';
import { hydrated, open } from './helpers';

/** Marks the window: the mark survives client-side navigation, not a full page load. */
const MARK = () => ((window as unknown as { shopMark?: number }).shopMark = 42);
const MARKED = () => (window as unknown as { shopMark?: number }).shopMark === 42;

// Requests a service worker answers never reach `page.route`, and the worker registered on the
// first page may take control at any moment of a test: whether a chunk "failed" would then
// depend on that race (it did, once in CI). These tests are about the network without a worker.
test.use({ serviceWorkers: 'block' });

test('pages load their code on the way, in the app, and back and forward work', async ({ page }, testInfo) => {
  test.skip(!hydrated(testInfo), 'client-side navigation needs JavaScript');
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const chunks: string[] = [];
  page.on('response', (r) => {
    const path = new URL(r.url()).pathname;
    if (path.startsWith('/pkg/') && path.endsWith('.wasm')) chunks.push(path);
  });

  await open(page, '/', testInfo);
  await page.evaluate(MARK);
  const before = chunks.length;

  await page.locator('main a[href^="/categories/"]').first().click();
  await expect(page).toHaveURL(/\/categories\//);
  await expect(page.locator('main a[href^="/products/"]').first()).toBeVisible();
  const category = page.url();

  await page.locator('main a[href^="/products/"]').first().click();
  await expect(page).toHaveURL(/\/products\//);
  await expect(page.getByRole('button', { name: /Add to cart|Sold out/ })).toBeVisible();
  const product = page.url();
  // The category and product pages came as chunks of their own, without a page load.
  expect(chunks.length).toBeGreaterThan(before);
  expect(await page.evaluate(MARKED)).toBe(true);

  await page.goBack();
  await expect(page).toHaveURL(category);
  await expect(page.locator('main a[href^="/products/"]').first()).toBeVisible();
  await page.goForward();
  await expect(page).toHaveURL(product);
  await expect(page.getByRole('button', { name: /Add to cart|Sold out/ })).toBeVisible();
  expect(await page.evaluate(MARKED)).toBe(true);
  expect(errors).toEqual([]);
});

test('a page whose code cannot be downloaded still opens, as plain HTML', async ({ page }, testInfo) => {
  test.skip(!hydrated(testInfo), 'with JavaScript off no code is downloaded');
  await open(page, '/', testInfo);
  await page.evaluate(MARK);
  // From now on, every chunk fails (the main module and the home page's are already running).
  await page.route(/\/pkg\/.*\.wasm$/, (route) => route.abort('internetdisconnected'));

  // The cart's code (another area) cannot come: the cart opens all the same.
  await page.getByRole('banner').getByRole('link', { name: /Cart/ }).click();
  await expect(page).toHaveURL(/\/cart$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Your cart' })).toBeVisible();
  // It came as a full page load, from the server.
  expect(await page.evaluate(MARKED)).toBe(false);
  // And its links still lead on, as plain links.
  await page.getByRole('banner').getByRole('link', { name: 'Account' }).click();
  await expect(page).toHaveURL(/\/account/);
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
});

test('when the suggestions code cannot be downloaded, the page stays live and a later keystroke tries again', async ({ page }, testInfo) => {
  test.skip(!hydrated(testInfo), 'suggestions need JavaScript');
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await open(page, '/', testInfo);
  await page.evaluate(MARK);
  // Only the suggestions' own chunk fails (loaded with wasm-split's `fallible` option).
  let blocked = true;
  let refused = 0;
  await page.route(/\/pkg\/split_search_suggestions[^/]*\.wasm$/, (route) => {
    if (!blocked) return route.continue();
    refused += 1;
    return route.abort('internetdisconnected');
  });
  const box = page.getByRole('combobox', { name: 'Search products' });
  await box.fill('sneak');
  await expect(box).toHaveAttribute('aria-expanded', 'false');
  await expect.poll(() => refused).toBeGreaterThan(0);
  // No panic: the app still navigates in place.
  await page.locator('main a[href^="/categories/"]').first().click();
  await expect(page).toHaveURL(/\/categories\//);
  expect(await page.evaluate(MARKED)).toBe(true);
  // Once the chunk can come, the next keystroke brings suggestions.
  blocked = false;
  await box.fill('sneake');
  await expect(page.getByRole('listbox', { name: 'Suggestions' })).toBeVisible();
  // wasm-split's loader leaves the refused fetch's promise unhandled ("Failed to fetch") when
  // the focus preload and the first keystroke both asked for the chunk; that is only noise.
  // A panic would show as a trap ("unreachable") and is what must not happen.
  expect(errors.filter((e) => e !== 'Failed to fetch')).toEqual([]);
});
