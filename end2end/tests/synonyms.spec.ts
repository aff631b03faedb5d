import { expect, test } from '@playwright/test';
import { adminPage, expectAccessible, hydrated, open } from './helpers';

test('a merchant adds a synonym group and search uses it at once', async ({ browser }, testInfo) => {
  const page = await adminPage(browser, testInfo);
  const context = page.context();
  // A word of its own per project, so the two runs do not see each other's group.
  const word = hydrated(testInfo) ? 'kicks' : 'trainerz';

  await open(page, `/search?q=${word}`, testInfo);
  await expect(page.getByText('No products match your search.')).toBeVisible();

  await open(page, '/admin/search', testInfo);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Search synonyms');
  await expectAccessible(page, testInfo);
  const field = page.getByLabel('Words or phrases, separated by commas');
  await field.fill('alone');
  await page.getByRole('button', { name: 'Add group' }).click();
  await expect(page.getByText('Give at least two words or phrases, separated by commas.')).toBeVisible();

  await page.getByLabel('Words or phrases, separated by commas').fill(`${word}, sneakers`);
  await page.getByRole('button', { name: 'Add group' }).click();
  await expect(page.getByText(`${word}, sneakers`)).toBeVisible();

  await expect(async () => {
    await open(page, `/search?q=${word}`, testInfo);
    await expect(page.locator('.product-grid .product-title').first()).toContainText('Sneakers', { timeout: 1000 });
  }).toPass({ timeout: 15_000 });

  await open(page, '/admin/search', testInfo);
  await page.getByRole('button', { name: `Remove ${word}, sneakers` }).click();
  await expect(page.getByText(`${word}, sneakers`)).toHaveCount(0);
  await context.close();
});
