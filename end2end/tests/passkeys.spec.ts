import { expect, test, type TestInfo } from '@playwright/test';
import { PASSWORD, createAccount, expectAccessible, hydrated, newPage, open, snapshot } from './helpers';

/** The same shop by name: passkeys belong to a domain, never to an IP address, and the shop
 * takes a loopback address as `localhost` for them. */
function byName(testInfo: TestInfo): string {
  const url = new URL(testInfo.project.use.baseURL as string);
  url.hostname = 'localhost';
  return url.origin;
}

test('a customer registers a passkey and signs in with it alone', async ({ browser }, testInfo) => {
  test.skip(!hydrated(testInfo), 'passkeys are the browser’s WebAuthn API: JavaScript on only');
  const page = await newPage(browser, testInfo, byName(testInfo));
  // Chromium's virtual authenticator stands in for a phone's screen lock: it keeps passkeys
  // (resident) and verifies the person.
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      transport: 'internal',
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
  const email = `passkey-${Date.now()}@example.com`;
  await createAccount(page, browser, email, testInfo);

  await open(page, '/account', testInfo);
  await expect(page.getByRole('heading', { name: 'Passkeys' })).toBeVisible();
  // The wrong password first: refused before any prompt.
  await page.getByLabel('Name (optional)').fill('Test phone');
  await page.locator('#passkey-new-password').fill('not my password');
  await page.getByRole('button', { name: 'Add a passkey' }).click();
  await expect(page.getByText('Your current password is not correct.')).toBeVisible();
  await page.locator('#passkey-new-password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Add a passkey' }).click();
  await expect(page).toHaveURL(/done=passkey-added/);
  await expect(page.getByRole('status').filter({ hasText: 'Your passkey was added' })).toBeVisible();
  await expect(page.locator('.passkey-name')).toHaveText(['Test phone']);
  const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
  expect(credentials).toHaveLength(1);
  expect(credentials[0].isResidentCredential).toBe(true);
  await expectAccessible(page, testInfo);
  await snapshot(page, 'account-passkeys', testInfo);

  // Signed out, the passkey alone signs in: no address, no password.
  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await expect(page).toHaveURL(/\/$/);
  await open(page, '/account/sign-in', testInfo);
  await expectAccessible(page, testInfo);
  // On a phone too.
  await page.setViewportSize({ width: 390, height: 844 });
  await snapshot(page, 'sign-in-with-passkey-phone', testInfo);
  await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
  await expect(page).toHaveURL(/\/account$/);
  await expect(page.getByText('Signed in as')).toContainText(email);
  await expect(page.locator('.passkey-when')).toContainText('last used');

  // Removed, it opens nothing.
  const entry = page.locator('.passkey').filter({ hasText: 'Test phone' });
  await entry.getByText('Remove Test phone').click();
  await entry.getByLabel('Current password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Remove passkey' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'The passkey was removed.' })).toBeVisible();
  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await expect(page).toHaveURL(/\/$/);
  await open(page, '/account/sign-in', testInfo);
  await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
  await expect(page.getByText('This passkey is not registered with this shop.')).toBeVisible();
  await expect(page).toHaveURL(/\/account\/sign-in$/);
});

test('without JavaScript the pages say passkeys need it and offer nothing that cannot work', async ({ browser }, testInfo) => {
  test.skip(hydrated(testInfo), 'the page as served, before any script');
  const page = await newPage(browser, testInfo);
  await open(page, '/account/sign-in', testInfo);
  await expect(page.getByRole('button', { name: 'Sign in with a passkey' })).toBeHidden();
  await expect(page.getByRole('button', { name: 'Sign in', exact: true })).toBeVisible();
});
