import { expect, test } from '@playwright/test';
import { expectAccessible, hydrated, open } from './helpers';

test('search forgives typos, marks the matches and filters like a category', async ({ page }, testInfo) => {
  await open(page, '/', testInfo);
  const box = page.getByRole('banner').getByRole(hydrated(testInfo) ? 'combobox' : 'searchbox', { name: 'Search products' });
  await box.fill('blak sneakrs');
  await box.press('Enter');
  await expect(page).toHaveURL(/\/search\?q=blak\+sneakrs/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Results for “blak sneakrs”');
  const titles = page.locator('.product-grid .product-title');
  await expect(titles.first()).toBeVisible();
  for (const title of await titles.allTextContents()) {
    expect(title).toMatch(/Black/);
    expect(title).toMatch(/Sneakers/);
  }
  await expect(titles.first().locator('mark').first()).toHaveText(/Black|Sneakers/);
  await expectAccessible(page, testInfo);

  // The same facets as a category, and the search text stays with them.
  await page.getByRole('group', { name: 'Size' }).getByRole('checkbox', { name: /EU 40/ }).check();
  await page.getByRole('button', { name: 'Apply' }).click();
  await expect(page).toHaveURL(/q=blak\+sneakrs/);
  await expect(page).toHaveURL(/f=Size/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Results for “blak sneakrs”');

  // Nonsense and markup are answered calmly.
  await open(page, '/search?q=%3Cscript%3Ezzqx%3C%2Fscript%3E&page=-4&sort=%27', testInfo);
  await expect(page.getByText('No products match your search.')).toBeVisible();
});

test('autosuggest reaches a product with the keyboard alone', async ({ page }, testInfo) => {
  test.skip(!hydrated(testInfo), 'suggestions need JavaScript; the plain search form is tested above');
  await open(page, '/', testInfo);
  const box = page.getByRole('combobox', { name: 'Search products' });
  // Tab from the top of the page: skip link, store name, then the search box.
  for (let i = 0; i < 5 && !(await box.evaluate((el) => el === document.activeElement)); i++) {
    await page.keyboard.press('Tab');
  }
  await expect(box).toBeFocused();
  await page.keyboard.type('blak sneak', { delay: 40 });
  const list = page.getByRole('listbox', { name: 'Suggestions' });
  await expect(list).toBeVisible();
  await expect(box).toHaveAttribute('aria-expanded', 'true');
  const options = list.getByRole('option');
  await expect(options.first()).toContainText(/Black/);
  await expectAccessible(page, testInfo);

  await page.keyboard.press('ArrowDown');
  const active = await box.getAttribute('aria-activedescendant');
  expect(active).toBeTruthy();
  await expect(page.locator(`#${active}`)).toHaveAttribute('aria-selected', 'true');
  const chosen = ((await page.locator(`#${active} .suggestion-text`).textContent()) ?? '').trim();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/products\//);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(chosen);

  // Escape closes the list without leaving the box.
  await box.focus();
  await page.keyboard.type('mug', { delay: 40 });
  await expect(list).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(list).toBeHidden();
  await expect(box).toHaveAttribute('aria-expanded', 'false');
});

test('collections and best sellers appear on the home page', async ({ page }, testInfo) => {
  await open(page, '/', testInfo);
  await expect(page.getByRole('heading', { name: 'Best sellers' })).toBeVisible();
  await page.getByRole('link', { name: /Staff picks/ }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Staff picks');
  await expect(page.getByText(/\d+ products · page 1 of/)).toBeVisible();
  await expectAccessible(page, testInfo);
});
