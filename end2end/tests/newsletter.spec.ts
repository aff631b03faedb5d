import { expect, test } from '@playwright/test';
import { expectAccessible, hydrated, open } from './helpers';

// The newsletter sign-up is the shell's server-function round trip: with JavaScript it is
// called in place; without, the form posts and the server redirects.

test('a mistyped address is refused with a clear message and nothing is lost', async ({ page }, testInfo) => {
  await open(page, '/', testInfo);
  const email = page.getByRole('textbox', { name: 'E-mail address' });
  // Browsers accept "name@host"; the shop wants a real domain.
  await email.fill('anna@example');
  await page.getByRole('button', { name: 'Subscribe' }).click();
  await expect(page.getByRole('alert')).toHaveText('Enter an e-mail address like name@example.com.');
  await expect(page.getByRole('textbox', { name: 'E-mail address' })).toHaveAttribute('aria-invalid', 'true');
  if (hydrated(testInfo)) {
    // Handled in place: still the same page, and the typed text is still there to correct.
    await expect(page).toHaveURL(/\/$/);
    await expect(email).toHaveValue('anna@example');
  }
  await expectAccessible(page, testInfo);
});

test('a shopper subscribes to the newsletter', async ({ page }, testInfo) => {
  await open(page, '/', testInfo);
  const address = `shopper-${testInfo.project.name}-${Date.now()}@example.com`;
  await page.getByRole('textbox', { name: 'E-mail address' }).fill(address);
  await page.getByRole('button', { name: 'Subscribe' }).click();
  if (hydrated(testInfo)) {
    await expect(page.getByRole('status').filter({ hasText: 'Thank you' })).toHaveText(
      'Thank you! You are subscribed to our newsletter.',
    );
    await expect(page).toHaveURL(/\/$/);
  } else {
    await expect(page).toHaveURL(/\/newsletter\/subscribed$/);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(
      'Thank you! You are subscribed to our newsletter.',
    );
  }
});

test('the sign-up works from the keyboard alone', async ({ page }, testInfo) => {
  await open(page, '/', testInfo);
  const email = page.getByRole('textbox', { name: 'E-mail address' });
  await email.focus();
  await page.keyboard.type(`keys-${testInfo.project.name}-${Date.now()}@example.com`);
  await page.keyboard.press('Tab');
  await expect(page.getByRole('button', { name: 'Subscribe' })).toBeFocused();
  await page.keyboard.press('Enter');
  if (hydrated(testInfo)) {
    await expect(page.getByRole('status').filter({ hasText: 'Thank you' })).toBeVisible();
  } else {
    await expect(page).toHaveURL(/\/newsletter\/subscribed$/);
  }
});
