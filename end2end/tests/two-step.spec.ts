import { expect, test, type Page, type TestInfo } from '@playwright/test';
import {
  PASSWORD,
  adminPage,
  createAccount,
  expectAccessible,
  linkMailedTo,
  newPage,
  nextTotpCode,
  open,
  snapshot,
  totpCode,
} from './helpers';

/** Password step only: where the shop sends the browser next is the caller's to check. */
async function passwordStep(page: Page, email: string, testInfo: TestInfo) {
  await open(page, '/account/sign-in', testInfo);
  await page.getByRole('main').getByRole('textbox', { name: 'E-mail address' }).fill(email);
  await page.getByRole('main').getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}

/** The key and recovery codes the setup page shows. */
async function readSetup(page: Page): Promise<{ key: string; codes: string[] }> {
  const key = await page.getByLabel(/by hand with this key/).inputValue();
  // allTextContents does not wait: the codes may arrive after the page (a client-side visit).
  const items = page.getByRole('list', { name: 'Recovery codes' }).getByRole('listitem');
  await expect(items).toHaveCount(10);
  const codes = await items.allTextContents();
  return { key, codes: codes.map((c) => c.trim()) };
}

async function signOut(page: Page, testInfo: TestInfo) {
  await open(page, '/account', testInfo);
  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await expect(page).toHaveURL(/\/$/);
}

function otherThan(code: string): string {
  return code === '000000' ? '111111' : '000000';
}

test('a new admin must set up two-step sign-in, then signs in with a code and once with each recovery code', async ({ browser }, testInfo) => {
  // One wait for the app's next 30-second step is part of the story.
  test.setTimeout(120_000);
  const email = `second-admin-${testInfo.project.name}-${Date.now()}@example.com`;
  const admin = await adminPage(browser, testInfo);
  await open(admin, '/admin/settings/staff', testInfo);
  await admin.getByLabel('E-mail', { exact: true }).fill(email);
  await admin.getByLabel(/First password/).fill(PASSWORD);
  await admin.locator('#new-role').selectOption('admin');
  await admin.getByRole('button', { name: 'Add account' }).click();
  const entry = admin.getByRole('listitem').filter({ hasText: email });
  await expect(entry).toContainText('not set up yet');

  // The first sign-in goes to the setup, and nowhere else.
  const page = await newPage(browser, testInfo);
  await passwordStep(page, email, testInfo);
  await expect(page).toHaveURL(/\/account\/two-step\/setup$/);
  await expect(page.getByRole('img', { name: /QR code/ })).toBeVisible();
  const { key, codes } = await readSetup(page);
  expect(codes).toHaveLength(10);
  await expectAccessible(page, testInfo);
  await snapshot(page, 'two-step-setup', testInfo);
  await open(page, '/admin', testInfo);
  await expect(page).toHaveURL(/\/account\/sign-in/);
  await open(page, '/account/two-step/setup', testInfo);
  // A wrong code is refused; the page keeps the key the app already has.
  await page.getByLabel('Six-digit code from the app').fill(otherThan(totpCode(key)));
  await page.getByRole('button', { name: 'Turn on two-step sign-in' }).click();
  await expect(page.getByText('That code is wrong or was already used.', { exact: false })).toBeVisible();
  expect((await readSetup(page)).key).toBe(key);
  const enrolledAt = Date.now();
  await page.getByLabel('Six-digit code from the app').fill(totpCode(key, enrolledAt));
  await page.getByRole('button', { name: 'Turn on two-step sign-in' }).click();
  await expect(page).toHaveURL(/\/account\?done=two-step$/);
  await expect(page.getByRole('status').filter({ hasText: 'Two-step sign-in is on' })).toBeVisible();
  await open(page, '/admin', testInfo);
  await expect(page.getByRole('heading', { level: 1, name: 'Dashboard' })).toBeVisible();

  // A recovery code signs in once.
  await signOut(page, testInfo);
  await passwordStep(page, email, testInfo);
  await expect(page).toHaveURL(/\/account\/two-step$/);
  await expectAccessible(page, testInfo);
  await snapshot(page, 'two-step-code', testInfo);
  await page.getByLabel('Code').fill(codes[0]);
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page).toHaveURL(/\/account$/);
  await signOut(page, testInfo);
  await passwordStep(page, email, testInfo);
  await page.getByLabel('Code').fill(codes[0]);
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByText('That code is wrong or was already used.', { exact: false })).toBeVisible();

  // The app's code of a later step than the one that confirmed it.
  await page.getByLabel('Code').fill(await nextTotpCode(key, enrolledAt));
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page).toHaveURL(/\/account$/);

  // Phone lost: the demo admin resets it; the account is signed out and must set up again.
  await open(admin, '/admin/settings/staff', testInfo);
  await admin.getByRole('button', { name: `Reset two-step sign-in of ${email} (lost phone)` }).click();
  await expect(admin.getByRole('listitem').filter({ hasText: email })).toContainText('not set up yet');
  await open(page, '/account', testInfo);
  await expect(page).toHaveURL(/\/account\/sign-in/);
  await passwordStep(page, email, testInfo);
  await expect(page).toHaveURL(/\/account\/two-step\/setup$/);
  await page.context().close();
  await admin.context().close();
});

test('a shopper turns on two-step sign-in, and a password reset link still asks for it', async ({ page, browser }, testInfo) => {
  const email = `two-step-${testInfo.project.name}-${Date.now()}@example.com`;
  await createAccount(page, browser, email, testInfo);
  await page.getByRole('link', { name: 'Set up two-step sign-in' }).click();
  await expect(page).toHaveURL(/\/account\/two-step\/setup$/);
  const { key, codes } = await readSetup(page);
  await page.getByLabel('Six-digit code from the app').fill(totpCode(key));
  // Signed in already: the password comes with the code.
  await page.getByLabel('Current password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Turn on two-step sign-in' }).click();
  await expect(page).toHaveURL(/\/account\?done=two-step$/);
  await expect(page.getByText('10 unused recovery codes left')).toBeVisible();
  await expectAccessible(page, testInfo);
  await signOut(page, testInfo);

  // Someone with the mailbox resets the password: the link does not sign them in.
  await open(page, '/account/forgot', testInfo);
  await page.getByRole('main').getByRole('textbox', { name: 'E-mail address' }).fill(email);
  await page.getByRole('button', { name: 'Send me a link' }).click();
  await expect(page).toHaveURL(/\/account\/reset-sent$/);
  const link = await linkMailedTo(browser, email, testInfo, '/account/reset');
  await open(page, link, testInfo);
  await page.getByRole('main').getByLabel('New password').fill('my new memorable phrase');
  await page.getByRole('button', { name: 'Save the new password' }).click();
  await expect(page).toHaveURL(/\/account\/two-step$/);
  await open(page, '/account', testInfo);
  await expect(page).toHaveURL(/\/account\/sign-in/);

  // The owner, with a recovery code, gets in.
  await open(page, '/account/two-step', testInfo);
  await page.getByLabel('Code').fill(codes[4]);
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page).toHaveURL(/\/account$/);
  await expect(page.getByText('9 unused recovery codes left')).toBeVisible();

  // Ten new recovery codes replace the old ones, after the password and a code.
  await page.getByText('Get new recovery codes').click();
  await page.locator('#new-codes-password').fill('my new memorable phrase');
  await page.locator('#new-codes-code').fill(codes[5]);
  await page.getByRole('button', { name: 'Make new recovery codes' }).click();
  await expect(page).toHaveURL(/\/account\/two-step\/new-codes$/);
  // The new codes are read by the page after it opens: wait for them before reading.
  const freshItems = page.getByRole('list', { name: 'Recovery codes' }).getByRole('listitem');
  await expect(freshItems).toHaveCount(10);
  const fresh = await freshItems.allTextContents();
  expect(fresh.map((c) => c.trim())).not.toContain(codes[6]);
  await expectAccessible(page, testInfo);
  await page.getByRole('button', { name: 'I saved them' }).click();
  await expect(page).toHaveURL(/\/account\?done=new-codes$/);
  await expect(page.getByText('10 unused recovery codes left')).toBeVisible();
});
