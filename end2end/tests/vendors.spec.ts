import { expect, test, type Page, type TestInfo } from '@playwright/test';
import {
  PASSWORD,
  adminPage,
  createAccount,
  expectAccessible,
  hydrated,
  linkMailedTo,
  mailsSent,
  newPage,
  open,
  snapshot,
  totpCode,
} from './helpers';

/** An 8×6 red PNG (the same picture the Rust HTTP tests upload). */
const RED_PNG = [
  137, 80, 78, 71, 13, 10, 26, 10, 0, 0, 0, 13, 73, 72, 68, 82, 0, 0, 0, 8, 0, 0, 0, 6, 8, 2, 0,
  0, 0, 113, 103, 72, 172, 0, 0, 0, 17, 73, 68, 65, 84, 120, 156, 99, 56, 161, 161, 129, 21, 49,
  12, 164, 4, 0, 128, 247, 52, 129, 69, 202, 34, 253, 0, 0, 0, 0, 73, 69, 78, 68, 174, 66, 96,
  130,
];

/** Fills the "Sell with us" form; `iban` decides whether it passes. */
async function fillApplication(page: Page, name: string, iban: string) {
  const main = page.getByRole('main');
  await main.getByLabel('Business name (shown to shoppers)').fill(name);
  await main.getByLabel('Legal form').selectOption('sole_trader');
  await main.getByLabel(/Registration number/).fill('HRA 998877');
  await main.getByLabel('VAT number').fill('NL123456789B01');
  await main.getByLabel('Contact person').fill('Eva Jansen');
  await main.getByLabel('Phone', { exact: true }).fill('+31 20 555 0101');
  const billing = main.getByRole('group', { name: 'Billing address' });
  await billing.getByLabel('Full name').fill('Eva Jansen');
  await billing.getByLabel('Street and number').fill('Prinsengracht 1');
  await billing.getByLabel('Postal code').fill('1015 DK');
  await billing.getByLabel('Town or city').fill('Amsterdam');
  await billing.getByLabel('Country').selectOption('NL');
  await main.getByLabel('Account holder').fill('Eva Jansen');
  await main.getByLabel('IBAN').fill(iban);
  await main.getByLabel(/I accept the marketplace terms/).check();
  await main.getByRole('button', { name: 'Send my application' }).click();
}

async function signInWithSetup(page: Page, email: string, testInfo: TestInfo): Promise<void> {
  await open(page, '/account/sign-in', testInfo);
  await page.getByRole('main').getByRole('textbox', { name: 'E-mail address' }).fill(email);
  await page.getByRole('main').getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  // A seller's account must have two-step sign-in: the first sign-in goes to its setup.
  await expect(page).toHaveURL(/\/account\/two-step\/setup$/);
  const key = await page.getByLabel(/by hand with this key/).inputValue();
  await page.getByLabel('Six-digit code from the app').fill(totpCode(key));
  await page.getByRole('button', { name: 'Turn on two-step sign-in' }).click();
  await expect(page).toHaveURL(/\/account\?done=two-step$/);
}

test('a shopper applies to sell, is accepted, sets up two-step sign-in, completes the checklist and is approved', async ({ browser }, testInfo) => {
  test.setTimeout(120_000);
  const email = `seller-${testInfo.project.name}-${Date.now()}@example.com`;
  const name = `Tulip Studio ${testInfo.project.name} ${Date.now() % 100000}`;
  const page = await newPage(browser, testInfo);

  // Signed out, the page says how to start.
  await open(page, '/sell', testInfo);
  await expect(page.getByRole('link', { name: 'create an account' })).toBeVisible();

  await createAccount(page, browser, email, testInfo);
  await open(page, '/sell', testInfo);
  await expect(page.getByRole('heading', { level: 1, name: 'Sell with us' })).toBeVisible();
  await expectAccessible(page, testInfo);
  await snapshot(page, 'sell-form', testInfo);

  // A mistyped IBAN is caught on its field; nothing is made.
  await fillApplication(page, name, 'NL91 ABNA 0417 1643 01');
  await expect(page.getByText('That IBAN is not right', { exact: false })).toBeVisible();
  await fillApplication(page, name, 'NL91 ABNA 0417 1643 00');
  await expect(page.getByRole('heading', { name: 'Thank you: your application is in' })).toBeVisible();
  await expect
    .poll(() => mailsSent().filter((m) => m.to === email && m.subject.includes('Application received')).length)
    .toBe(1);

  // The admin finds the application and accepts it.
  const admin = await adminPage(browser, testInfo);
  await open(admin, '/admin/vendors?status=applied', testInfo);
  await expectAccessible(admin, testInfo);
  await admin.getByRole('link', { name }).click();
  await expect(admin.getByRole('heading', { level: 1, name })).toBeVisible();
  await expect(admin.getByText('NL91ABNA0417164300')).toBeVisible();
  await expectAccessible(admin, testInfo);
  await snapshot(admin, 'vendor-review', testInfo);
  await admin.getByRole('button', { name: 'Accept the application' }).click();
  await expect(admin.locator('.status-badge')).toHaveText('Onboarding');

  // The seller signs in again (now with two steps) and reaches the dashboard.
  await signInWithSetup(page, email, testInfo);
  await page.getByRole('link', { name: 'Seller dashboard' }).click();
  await expect(page).toHaveURL(/\/vendor$/);
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
  const checklist = page.getByRole('list', { name: 'Checklist' });
  await expect(checklist.getByRole('listitem').filter({ hasText: 'Describe your shop' })).toContainText('To do');
  await expect(page.getByText('Payouts go to the account ending •••• 4300.')).toBeVisible();
  await expectAccessible(page, testInfo);
  await snapshot(page, 'vendor-dashboard', testInfo);

  // A too-short description is refused on its field; a real profile completes the list.
  await page.getByLabel('About your shop').fill('Tulips.');
  await page.getByLabel('Returns policy').fill('Returns within 14 days of delivery, in the original packing, at our cost.');
  await page.getByRole('button', { name: 'Save the profile' }).click();
  await expect(page.getByText('Describe your shop in 40 to 2000 characters.')).toBeVisible();
  await page.getByLabel('About your shop').fill('Tulip bulbs and cut flowers from our own fields near Lisse, packed the day they ship.');
  await page.getByLabel('Returns policy').fill('Returns within 14 days of delivery, in the original packing, at our cost.');
  await page.getByRole('button', { name: 'Save the profile' }).click();
  await expect(page.getByRole('status').filter({ hasText: "Your shop's profile is saved." })).toBeVisible();
  await expect(checklist.getByRole('listitem').filter({ hasText: 'Describe your shop' })).toContainText('Done');
  await page.getByRole('button', { name: 'Submit for review' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'your checklist is handed in' })).toBeVisible();
  await expect(page.locator('.status-badge')).toHaveText('In review');

  // The admin approves; the seller is told.
  await open(admin, '/admin/vendors?status=in_review', testInfo);
  await admin.getByRole('link', { name }).click();
  await admin.getByRole('button', { name: 'Approve: the seller may sell' }).click();
  await expect(admin.locator('.status-badge')).toHaveText('Approved: selling');
  await expect
    .poll(() => mailsSent().filter((m) => m.to === email && m.subject.endsWith('Approved: selling')).length)
    .toBe(1);
  await open(page, '/vendor', testInfo);
  await expect(page.locator('.status-badge')).toHaveText('Approved: selling');
  await expect(page.getByText('Your shop is open', { exact: false })).toBeVisible();

  // The seller uploads a logo (a plain upload form, with or without script): a file that is
  // not a picture is refused in words, a picture is kept and shows on the storefront.
  await page.getByLabel('Logo', { exact: true }).setInputFiles({ name: 'logo.txt', mimeType: 'text/plain', buffer: Buffer.from('not a picture') });
  await page.getByRole('button', { name: 'Upload the logo' }).click();
  await expect(page.getByText('That file is not a PNG, JPEG or WebP picture.')).toBeVisible();
  await page.getByLabel('Logo', { exact: true }).setInputFiles({ name: 'logo.png', mimeType: 'image/png', buffer: Buffer.from(RED_PNG) });
  await page.getByRole('button', { name: 'Upload the logo' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Your logo is saved.' })).toBeVisible();
  await page.getByRole('link', { name: "See your shop's page" }).click();
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
  await expect(page.getByRole('main').getByRole('img', { name })).toBeVisible();
  await expectAccessible(page, testInfo);
  await open(page, '/vendor', testInfo);

  // The seller lists a product in two colours with their stock, at its own location.
  const dashboardNav = page.getByRole('navigation', { name: 'Seller dashboard' });
  await dashboardNav.getByRole('link', { name: 'Products' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Your products' })).toBeVisible();
  await page.getByRole('link', { name: 'Add a product' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'New product' })).toBeVisible();
  const stamp = `${testInfo.project.name}-${Date.now() % 100000}`;
  const productTitle = `Parrot tulips ${stamp}`;
  await page.getByLabel('Title', { exact: true }).fill(productTitle);
  await page.getByLabel('Status', { exact: true }).selectOption('active');
  await page.getByLabel('Option 1', { exact: true }).fill('Colour');
  for (const [n, colour, units] of [[1, 'Red', '7'], [2, 'Yellow', '3']]) {
    await page.getByLabel(`New variant ${n}: SKU`).fill(`PT-${stamp}-${colour}`);
    await page.getByLabel(`New variant ${n}: option 1`).fill(String(colour));
    await page.getByLabel(`New variant ${n}: price in EUR`).fill('12.50');
    await page.getByLabel(`New variant ${n}: units in stock`).fill(String(units));
  }
  await page.getByRole('button', { name: 'Save product' }).click();
  await expect(page.getByRole('heading', { level: 1, name: productTitle })).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: 'Saved.' })).toBeVisible();
  await expectAccessible(page, testInfo);
  await snapshot(page, 'vendor-product', testInfo);
  await dashboardNav.getByRole('link', { name: 'Stock' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Your stock' })).toBeVisible();
  await page.getByRole('link', { name: `PT-${stamp}-Red` }).click();
  await expect(page.getByRole('row', { name: 'Main location 7' })).toBeVisible();
  await page.getByLabel('Change', { exact: true }).selectOption('add');
  await page.getByLabel('Units', { exact: true }).fill('5');
  await page.getByRole('button', { name: 'Save the change' }).click();
  await expect(page.getByRole('row', { name: 'Main location 12' })).toBeVisible();
  await expectAccessible(page, testInfo);
  // Shoppers find it, sold by the seller.
  await open(page, `/products/parrot-tulips-${stamp.toLowerCase()}`, testInfo);
  await expect(page.getByRole('heading', { level: 1, name: productTitle })).toBeVisible();
  await expect(page.getByRole('link', { name })).toBeVisible();
  await open(page, '/vendor', testInfo);

  // The owner invites a helper for orders; the helper joins with the mailed link.
  const helperEmail = `helper-${testInfo.project.name}-${Date.now()}@example.com`;
  const helper = await newPage(browser, testInfo);
  await createAccount(helper, browser, helperEmail, testInfo);
  await page.getByLabel('Their e-mail address').fill(helperEmail);
  await page.getByLabel('They work on').selectOption('orders');
  await page.getByRole('button', { name: 'Send the invitation' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'The invitation is sent.' })).toBeVisible();
  await expect(page.getByText(`${helperEmail}: Orders and returns, link valid until`, { exact: false })).toBeVisible();
  await open(helper, await linkMailedTo(browser, helperEmail, testInfo, '/vendor/join'), testInfo);
  await expectAccessible(helper, testInfo);
  await helper.getByRole('button', { name: 'Join the team' }).click();
  await expect(helper.getByText('You joined the team.', { exact: false })).toBeVisible();
  await open(page, '/vendor', testInfo);
  await expect(page.getByRole('button', { name: `Remove ${helperEmail} from the team` })).toBeVisible();
});

test('asking a seller for changes needs a note; a shopper is kept out of the dashboard and the console', async ({ browser }, testInfo) => {
  // The demo's "Bo's Bakes" is in review: asking for changes needs a note to the seller.
  const admin = await adminPage(browser, testInfo);
  await open(admin, '/admin/vendors?status=in_review', testInfo);
  // (Both projects run this: the refused step changes nothing, so the seller stays in review.)
  await admin.getByRole('link', { name: "Bo's Bakes" }).click();
  await admin.getByRole('button', { name: 'Ask for changes' }).click();
  await expect(admin.getByText('Tell the seller why: they receive this text.')).toBeVisible();
  await expect(admin.locator('.status-badge')).toHaveText('In review');

  // A shopper opening the dashboard is offered to sell instead; the console is closed to them.
  const page = await newPage(browser, testInfo);
  await createAccount(page, browser, `not-a-seller-${testInfo.project.name}-${Date.now()}@example.com`, testInfo);
  await open(page, '/vendor', testInfo);
  await expect(page.getByText('This account does not work for a seller.')).toBeVisible();
  await open(page, '/admin/vendors', testInfo);
  await expect(page.getByText("Bo's Bakes")).toHaveCount(0);
});

test("a seller's storefront shows its face, policy and products; listings filter by seller", async ({ browser }, testInfo) => {
  const page = await newPage(browser, testInfo);
  await open(page, '/sellers/nordic-wool-co', testInfo);
  const main = page.getByRole('main');
  await expect(main.getByRole('heading', { level: 1, name: 'Nordic Wool & Co.' })).toBeVisible();
  await expect(main.getByText('knitted from undyed Shetland and Icelandic wool', { exact: false })).toBeVisible();
  await expect(main.getByRole('img', { name: 'Nordic Wool & Co.' })).toBeVisible();
  await expect(page.locator('.listing-count')).toContainText('12 products');
  // The returns policy opens in place (a native disclosure: no script needed).
  await main.getByText('Returns policy', { exact: true }).click();
  await expect(main.getByText('Return unworn items within 30 days', { exact: false })).toBeVisible();
  // A storefront has no seller filter of its own; every card names the seller.
  await expect(main.getByRole('group', { name: 'Seller' })).toHaveCount(0);
  await expect(page.locator('.product-card .product-seller').first()).toHaveText('Sold by Nordic Wool & Co.');
  await expectAccessible(page, testInfo);
  await snapshot(page, 'seller-storefront', testInfo);

  // From a product back to its seller.
  await page.locator('.product-grid .product-title').first().click();
  await expect(page).toHaveURL(/\/products\//);
  await page.getByRole('main').getByRole('link', { name: 'Nordic Wool & Co.' }).click();
  await expect(page).toHaveURL(/\/sellers\/nordic-wool-co$/);

  // Search finds the seller's products by its name, and the seller filter narrows to them.
  await open(page, '/search?q=nordic+wool', testInfo);
  const sellers = page.getByRole('group', { name: 'Seller' });
  await sellers.getByLabel(/^Nordic Wool & Co\. \(12\)$/).check();
  await page.getByRole('button', { name: 'Apply' }).click();
  await expect(page).toHaveURL(/seller=nordic-wool-co/);
  await expect(page.locator('.listing-count')).toContainText('12 products');

  // A seller that does not sell (in review) has no page.
  const missing = await page.goto('/sellers/bo-s-bakes');
  expect(missing?.status()).toBe(404);

  // On a phone the banner, logo and first products fit the screen.
  const phone = await browser.newContext({
    baseURL: testInfo.project.use.baseURL,
    javaScriptEnabled: hydrated(testInfo),
    viewport: { width: 390, height: 844 },
  });
  const small = await phone.newPage();
  await open(small, '/sellers/atelier-ceramique', testInfo);
  await expect(small.locator('.listing-count')).toContainText('8 products');
  await snapshot(small, 'seller-storefront-phone', testInfo);
  await phone.close();
});
