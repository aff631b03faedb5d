import { expect, test } from '@playwright/test';
import { ADMIN, adminPage, expectAccessible, hydrated, newPage, open, signIn, snapshot } from './helpers';

test('a script injected into a page is blocked, reported and shown to the admin', async ({ page, browser }, testInfo) => {
  test.skip(!hydrated(testInfo), 'injecting a script needs JavaScript');
  const marker = `injected-${Date.now()}`;
  await open(page, '/', testInfo);
  // What an attacker's markup would do: an inline script without the page's nonce.
  await page.evaluate((text) => {
    const script = document.createElement('script');
    script.textContent = `/* ${text} */ window.injectedRan = true;`;
    document.body.appendChild(script);
  }, marker);
  expect(await page.evaluate(() => (window as unknown as { injectedRan?: boolean }).injectedRan)).toBeUndefined();

  const admin = await adminPage(browser, testInfo);
  await expect
    .poll(
      async () => {
        await open(admin, '/admin/security', testInfo);
        return admin.getByRole('row').filter({ hasText: marker }).count();
      },
      { message: 'the report reaches the console', timeout: 10_000 },
    )
    .toBeGreaterThan(0);
  await expect(admin.getByRole('heading', { level: 1 })).toHaveText('Security reports');
  await expectAccessible(admin, testInfo);
  await snapshot(admin, 'admin-security-reports', testInfo);
  await admin.context().close();
});
