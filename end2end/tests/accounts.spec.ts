import { expect, test } from '@playwright/test';
import { ADMIN, adminPage, PASSWORD, createAccount, expectAccessible, hydrated, linkMailedTo, newPage, open, signIn, snapshot } from './helpers';

test('a shopper registers, confirms the mailed link, signs out and back in', async ({ page, browser }, testInfo) => {
  const email = `new-${testInfo.project.name}-${Date.now()}@example.com`;

  await open(page, '/account/register', testInfo);
  await expectAccessible(page, testInfo);
  await page.getByRole('main').getByRole('textbox', { name: 'E-mail address' }).fill(email);
  await page.getByRole('main').getByRole('textbox', { name: 'Name (optional)' }).fill('Nora');
  await page.getByRole('main').getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page).toHaveURL(/\/account\/check-inbox$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Check your inbox');

  const link = await linkMailedTo(browser, email, testInfo, '/account/confirm');
  expect(link).toMatch(/^\/account\/confirm\?token=/);
  await open(page, link, testInfo);
  await page.getByRole('button', { name: 'Confirm my e-mail address' }).click();
  await expect(page).toHaveURL(/\/account$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Hello, Nora');
  await expect(page.getByText(email)).toBeVisible();
  await expectAccessible(page, testInfo);

  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await expect(page).toHaveURL(/\/$/);
  await open(page, '/account', testInfo);
  await expect(page).toHaveURL(/\/account\/sign-in$/);

  await signIn(page, email, PASSWORD, testInfo);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Hello, Nora');

  // A used link cannot be used again.
  await open(page, link, testInfo);
  await page.getByRole('button', { name: 'Confirm my e-mail address' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'invalid' })).toHaveText(
    'This link is invalid, was already used or has expired.',
  );
});

test('a confirmation link opened in another browser confirms but signs no one in', async ({ page, browser }, testInfo) => {
  const email = `planted-${testInfo.project.name}-${Date.now()}@example.com`;
  await open(page, '/account/register', testInfo);
  await page.getByRole('main').getByRole('textbox', { name: 'E-mail address' }).fill(email);
  await page.getByRole('main').getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page).toHaveURL(/\/account\/check-inbox$/);
  const link = await linkMailedTo(browser, email, testInfo, '/account/confirm');

  // Someone else's browser (a victim the link was planted on): confirmed, not signed in.
  const other = await newPage(browser, testInfo);
  await open(other, link, testInfo);
  await other.getByRole('button', { name: 'Confirm my e-mail address' }).click();
  await expect(other).toHaveURL(/\/account\/sign-in\?confirmed=1$/);
  await expect(other.getByRole('status').filter({ hasText: 'confirmed' })).toHaveText(
    'Your e-mail address is confirmed. Sign in to continue.',
  );
  await expectAccessible(other, testInfo);
  await open(other, '/account', testInfo);
  await expect(other).toHaveURL(/\/account\/sign-in$/);
  await other.context().close();

  // The admin's mailbox shows the mail, but not the link.
  const admin = await adminPage(browser, testInfo);
  await open(admin, '/admin/mailbox', testInfo);
  const mail = admin.getByRole('article').filter({ hasText: `To ${email}` }).first();
  await expect(mail).toContainText('secret link hidden');
  await expect(mail.getByRole('link')).toHaveCount(0);
  await admin.context().close();
});

test('weak passwords and wrong sign-ins get clear messages', async ({ page }, testInfo) => {
  await open(page, '/account/register', testInfo);
  await page.getByRole('main').getByRole('textbox', { name: 'E-mail address' }).fill(`weak-${Date.now()}@example.com`);
  await page.getByRole('main').getByLabel('Password').fill('password123');
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByText('That password is one of the most common ones', { exact: false })).toBeVisible();

  await open(page, '/account/sign-in', testInfo);
  await page.getByRole('main').getByRole('textbox', { name: 'E-mail address' }).fill('nobody-here@example.com');
  await page.getByRole('main').getByLabel('Password').fill('not the password at all');
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'wrong' })).toHaveText('The e-mail address or password is wrong.');
  await expectAccessible(page, testInfo);
});

test('signing out everywhere ends the sessions of other browsers', async ({ browser }, testInfo) => {
  // Its own account: signing the shared admin out everywhere would disturb parallel specs.
  const email = `everywhere-${testInfo.project.name}-${Date.now()}@example.com`;
  const phone = await newPage(browser, testInfo);
  await createAccount(phone, browser, email, testInfo);
  const laptop = await newPage(browser, testInfo);
  await signIn(laptop, email, PASSWORD, testInfo);
  await laptop.getByRole('button', { name: 'Sign out everywhere' }).click();
  await expect(laptop).toHaveURL(/\/account\/sign-in$/);
  await open(phone, '/account', testInfo);
  await expect(phone).toHaveURL(/\/account\/sign-in$/);
  await phone.context().close();
  await laptop.context().close();
});

test('a sign-in from a new browser is mailed, and "this was not me" signs the account out everywhere', async ({ browser }, testInfo) => {
  const email = `new-browser-${testInfo.project.name}-${Date.now()}@example.com`;
  const phone = await newPage(browser, testInfo);
  await createAccount(phone, browser, email, testInfo);
  // Someone else, with the password, in a browser this account never used.
  const stranger = await newPage(browser, testInfo);
  await signIn(stranger, email, PASSWORD, testInfo);
  const link = await linkMailedTo(browser, email, testInfo, '/account/secure');
  await open(phone, link, testInfo);
  await expect(phone.getByRole('heading', { level: 1 })).toHaveText('Secure your account');
  await expectAccessible(phone, testInfo);
  await phone.getByRole('button', { name: 'Sign out everywhere and choose a new password' }).click();
  await expect(phone).toHaveURL(/\/account\/reset\?token=.*secured=1$/);
  await expect(phone.getByRole('status').filter({ hasText: 'Every session' })).toBeVisible();
  await open(stranger, '/account', testInfo);
  await expect(stranger).toHaveURL(/\/account\/sign-in$/);
  await phone.getByRole('main').getByLabel('New password').fill('an entirely new phrase');
  await phone.getByRole('button', { name: 'Save the new password' }).click();
  await expect(phone).toHaveURL(/\/account\?done=password$/);
  await phone.context().close();
  await stranger.context().close();
});

test('a shopper resets a forgotten password through the mailed link', async ({ page, browser }, testInfo) => {
  const email = `reset-${testInfo.project.name}-${Date.now()}@example.com`;
  await createAccount(page, browser, email, testInfo);
  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await expect(page).toHaveURL(/\/$/);

  await open(page, '/account/sign-in', testInfo);
  await page.getByRole('link', { name: 'Forgot your password?' }).click();
  await expect(page).toHaveURL(/\/account\/forgot$/);
  await page.getByRole('main').getByRole('textbox', { name: 'E-mail address' }).fill(email);
  await page.getByRole('button', { name: 'Send me a link' }).click();
  await expect(page).toHaveURL(/\/account\/reset-sent$/);

  const link = await linkMailedTo(browser, email, testInfo, '/account/reset');
  expect(link).toMatch(/^\/account\/reset\?token=/);
  await open(page, link, testInfo);
  await page.getByRole('main').getByLabel('New password').fill('my new memorable phrase');
  await page.getByRole('button', { name: 'Save the new password' }).click();
  await expect(page).toHaveURL(/\/account\?done=password$/);
  await expect(page.getByRole('status').filter({ hasText: 'password was changed' })).toBeVisible();

  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await signIn(page, email, 'my new memorable phrase', testInfo);

  // The link was used up.
  await open(page, link, testInfo);
  await page.getByRole('main').getByLabel('New password').fill('yet another long phrase');
  await page.getByRole('button', { name: 'Save the new password' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'invalid' })).toBeVisible();
});

test('a shopper manages the address book', async ({ browser }, testInfo) => {
  const page = await adminPage(browser, testInfo);
  await open(page, '/account', testInfo);
  await page.getByRole('link', { name: 'Your addresses' }).click();
  await expect(page).toHaveURL(/\/account\/addresses$/);
  const main = page.getByRole('main');
  const name = `Ada ${testInfo.project.name} ${Date.now()}`;

  // A postal code that does not fit the country is refused with a message at the field.
  await main.getByLabel('Full name').fill(name);
  await main.getByLabel('Street and number').fill('Unter den Linden 1');
  await main.getByLabel('Postal code').fill('1011');
  await main.getByLabel('Town or city').fill('Berlin');
  await main.getByLabel('Country').selectOption('DE');
  await main.getByRole('button', { name: 'Save address' }).click();
  await expect(main.getByText('Enter a valid postal code for Germany.')).toBeVisible();
  await expectAccessible(page, testInfo);

  await main.getByLabel('Full name').fill(name);
  await main.getByLabel('Street and number').fill('Unter den Linden 1');
  await main.getByLabel('Postal code').fill('10117');
  await main.getByLabel('Town or city').fill('Berlin');
  await main.getByRole('button', { name: 'Save address' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'saved' })).toHaveText('The address was saved.');
  const card = main.getByRole('listitem').filter({ hasText: name });
  await expect(card).toContainText('10117 Berlin');

  await card.getByRole('link', { name: 'Edit' }).click();
  await expect(main.getByRole('heading', { name: 'Edit address' })).toBeVisible();
  await main.getByLabel('Town or city').fill('Potsdam');
  await main.getByLabel('Postal code').fill('14467');
  await main.getByRole('button', { name: 'Save address' }).click();
  await expect(main.getByRole('listitem').filter({ hasText: name })).toContainText('14467 Potsdam');

  await main.getByRole('button', { name: `Delete the address of ${name}` }).click();
  await expect(page.getByRole('status').filter({ hasText: 'deleted' })).toHaveText('The address was deleted.');
  await expect(main.getByRole('listitem').filter({ hasText: name })).toHaveCount(0);
  await page.context().close();
});

test('a shopper finds the notification choices for this device', async ({ page, browser }, testInfo) => {
  await createAccount(page, browser, `notify-${testInfo.project.name}-${Date.now()}@example.com`, testInfo);
  await open(page, '/account/notifications', testInfo);
  await expect(page.getByRole('heading', { level: 1, name: 'Notifications' })).toBeVisible();
  if (hydrated(testInfo)) {
    const topics = page.getByRole('group', { name: 'Tell me on this device when…' });
    await expect(topics.getByRole('checkbox', { name: 'Updates on my orders' })).toBeChecked();
    await expect(topics.getByRole('checkbox', { name: 'Offers and promotions' })).not.toBeChecked();
    await expect(page.getByRole('button', { name: 'Turn on notifications' })).toBeVisible();
  } else {
    await expect(page.getByText('Notifications on this device need JavaScript')).toBeVisible();
  }
  await expectAccessible(page, testInfo);
  await snapshot(page, 'notifications', testInfo);
});
