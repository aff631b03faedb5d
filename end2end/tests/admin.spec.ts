import { expect, test, type Page, type TestInfo } from '@playwright/test';
import * as path from 'node:path';
import { ADMIN, adminPage, expectAccessible, hydrated, newPage, open, snapshot } from './helpers';

/** Letters only, different every run and per project, so search finds exactly this product. */
function unique(testInfo: TestInfo): string {
  const letters = (n: number) =>
    n
      .toString(26)
      .split('')
      .map((d) => String.fromCharCode(97 + parseInt(d, 26)))
      .join('');
  return `${hydrated(testInfo) ? 'h' : 'p'}${letters(Date.now() % 1e9)}`;
}

async function signedInAdmin(browser: import('@playwright/test').Browser, testInfo: TestInfo): Promise<Page> {
  return adminPage(browser, testInfo);
}

test('an admin creates a product with two variants and a picture, and shoppers find it by search', async ({ browser }, testInfo) => {
  const admin = await signedInAdmin(browser, testInfo);
  const word = unique(testInfo);
  const title = `Aurora ${word} Parka`;
  await open(admin, '/admin/products/new', testInfo);
  await expect(admin.getByRole('navigation', { name: 'Console' })).toBeVisible();
  await admin.getByLabel('Title', { exact: true }).fill(title);
  await admin.getByLabel('Status').selectOption('active');
  await admin.getByLabel('Brand').fill('Northwind');
  await admin.getByLabel('Description (Markdown)').fill('A warm **down** parka for cold mornings.');
  await admin.getByLabel('Option 1', { exact: true }).fill('Size');
  await admin.getByLabel('New variant 1: SKU').fill(`${word}-M`.toUpperCase());
  await admin.getByLabel('New variant 1: option 1').fill('M');
  await admin.getByLabel(/New variant 1: price/).fill('249.00');
  await admin.getByLabel('New variant 1: units in stock').fill('5');
  await admin.getByLabel('New variant 2: SKU').fill(`${word}-L`.toUpperCase());
  await admin.getByLabel('New variant 2: option 1').fill('L');
  await admin.getByLabel(/New variant 2: price/).fill('259.00');
  await admin.getByLabel('New variant 2: units in stock').fill('3');
  await admin.getByRole('button', { name: 'Save product' }).click();
  await expect(admin).toHaveURL(/\/admin\/products\/[0-9a-zA-Z]{26}\?saved=1/);
  await expect(admin.getByRole('status').filter({ hasText: 'Saved.' })).toBeVisible();
  await expect(admin.getByLabel('Variant 2: SKU')).toHaveValue(`${word}-L`.toUpperCase());
  const productId = new URL(admin.url()).pathname.split('/').pop() ?? '';

  // A price change is in the audit log: who, and the price before and after. The page still
  // says "Saved." from the first save, so the answer to this save is waited for before leaving
  // the page (navigating away would cancel the request).
  await admin.getByLabel(/^Variant 2: price/).fill('239.00');
  await Promise.all([
    admin.waitForResponse((r) => r.url().includes('/api/admin/products/save') && r.request().method() === 'POST'),
    admin.getByRole('button', { name: 'Save product' }).click(),
  ]);
  await expect(admin.getByRole('status').filter({ hasText: 'Saved.' })).toBeVisible();
  const sku = `${word}-L`.toUpperCase();
  await expect(async () => {
    await open(admin, `/admin/audit?subject=product:${productId}&action=product.saved`, testInfo);
    const row = admin.getByRole('row').filter({ hasText: 'product.saved' });
    await expect(row).toHaveCount(1, { timeout: 1000 });
    await expect(row).toContainText(ADMIN.email);
    await expect(row.getByRole('cell').nth(5)).toHaveText(`{"variants":{"${sku}":{"price":25900}}}`);
    await expect(row.getByRole('cell').nth(6)).toHaveText(`{"variants":{"${sku}":{"price":23900}}}`);
  }).toPass({ timeout: 15000 });
  await expectAccessible(admin, testInfo);
  await snapshot(admin, 'admin-audit', testInfo);
  await open(admin, `/admin/products/${productId}`, testInfo);

  // A picture with its description, as a plain upload form.
  await admin.getByLabel('Picture (PNG, JPEG or WebP, up to 10 MB)').setInputFiles(path.join(__dirname, '..', 'fixtures', 'parka.png'));
  await admin.getByLabel('Description for people who cannot see it').fill(`${title} seen from the front`);
  await admin.getByRole('button', { name: 'Upload picture' }).click();
  await expect(admin).toHaveURL(/saved=image/);
  await expect(admin.getByRole('img', { name: `${title} seen from the front` })).toBeVisible();
  await expectAccessible(admin, testInfo);
  await snapshot(admin, 'admin-product-editor', testInfo);

  // A shopper searches for it.
  const shopper = await newPage(browser, testInfo);
  await expect(async () => {
    await open(shopper, `/search?q=${encodeURIComponent(`aurora ${word}`)}`, testInfo);
    await expect(shopper.getByRole('link', { name: title }).first()).toBeVisible({ timeout: 1000 });
  }).toPass({ timeout: 15000 });
  await expect(shopper.getByRole('img', { name: `${title} seen from the front` }).first()).toBeVisible();
  await shopper.getByRole('link', { name: title }).first().click();
  await expect(shopper.getByRole('heading', { level: 1 })).toHaveText(title);
  await shopper.context().close();
  await admin.context().close();
});

test('a Shopify CSV with broken rows imports the good rows and reports the bad ones', async ({ browser }, testInfo) => {
  const admin = await signedInAdmin(browser, testInfo);
  const word = unique(testInfo);
  const csv = [
    'Handle,Title,Body (HTML),Vendor,Tags,Option1 Name,Option1 Value,Variant SKU,Variant Inventory Qty,Variant Price,Status',
    `${word}-mug,Enamel ${word} Mug,<p>Camp <em>mug</em>.</p>,Acme,camp,Colour,White,${word}-MUG-W,10,12.00,active`,
    `${word}-mug,,,,,,Blue,${word}-MUG-B,oops,12.00,`,
    `${word}-mug,,,,,,Green,${word}-MUG-G,4,not a price,`,
    `,Orphan,,,,,,X-${word},1,1.00,active`,
    `${word}-cap,Trail ${word} Cap,,Acme,,,,${word}-CAP,3,19.50,active`,
  ].join('\n');
  await open(admin, '/admin/import', testInfo);
  await admin.getByLabel('CSV file (up to 50 MB)').setInputFiles({ name: 'products.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await admin.getByRole('button', { name: 'Import' }).click();
  await expect(admin).toHaveURL(/\/admin\/import\/[0-9a-zA-Z]{26}$/);
  await expect(admin.getByRole('main').getByRole('status')).toContainText('2 created', { timeout: 20000 });
  const problems = admin.getByRole('table', { name: /Rows that were not imported/ });
  await expect(problems.getByRole('row')).toHaveCount(4); // the header and rows 3, 4 and 5
  await expect(problems).toContainText('Inventory Qty');
  await expect(problems).toContainText('price');
  await expect(problems).toContainText('Handle is empty');
  await expectAccessible(admin, testInfo);
  await snapshot(admin, 'admin-import-report', testInfo);

  // The good rows are products now.
  await open(admin, `/admin/products?q=${word}`, testInfo);
  await expect(admin.getByRole('link', { name: `Enamel ${word} Mug` })).toBeVisible();
  await expect(admin.getByRole('link', { name: `Trail ${word} Cap` })).toBeVisible();
  await admin.context().close();
});

test('the dashboard renders for an admin, stays accessible, and shoppers are sent to sign in', async ({ browser }, testInfo) => {
  const admin = await signedInAdmin(browser, testInfo);
  await open(admin, '/admin', testInfo);
  await expect(admin.getByRole('heading', { level: 1, name: 'Dashboard' })).toBeVisible();
  await expect(admin.getByRole('img', { name: /Revenue/ })).toBeVisible();
  await expect(admin.getByRole('heading', { name: 'Funnel' })).toBeVisible();
  await expectAccessible(admin, testInfo);
  await snapshot(admin, 'admin-dashboard', testInfo);
  await admin.context().close();

  // A shopper is sent to sign in.
  const shopper = await newPage(browser, testInfo);
  await open(shopper, '/admin', testInfo);
  await expect(shopper).toHaveURL(/\/account\/sign-in/);
  await shopper.context().close();
});

// Each console page on its own (one slow page cannot run the others out of time).
for (const [pathname, heading] of [
  ['/admin/products', 'Products'],
  ['/admin/orders', 'Orders'],
  ['/admin/inventory', 'Inventory'],
  ['/admin/customers', 'Customers'],
  ['/admin/categories', 'Categories'],
  ['/admin/settings', 'Store settings'],
  ['/admin/settings/shipping', 'Shipping'],
  ['/admin/settings/coupons', 'Coupons'],
  ['/admin/settings/staff', 'Staff'],
  ['/admin/settings/emails', 'E-mails'],
  ['/admin/audit', 'Audit log'],
]) {
  test(`the console page ${pathname} renders for an admin and stays accessible`, async ({ browser }, testInfo) => {
    const admin = await signedInAdmin(browser, testInfo);
    await open(admin, pathname, testInfo);
    await expect(admin.getByRole('heading', { level: 1, name: heading })).toBeVisible();
    await expectAccessible(admin, testInfo);
    if (pathname === '/admin/settings/emails') await snapshot(admin, 'admin-emails', testInfo);
    await admin.context().close();
  });
}

test('a promotion goes to everyone who opted in to offers', async ({ browser }, testInfo) => {
  const admin = await signedInAdmin(browser, testInfo);
  await open(admin, '/admin/settings/notifications', testInfo);
  await expect(admin.getByRole('heading', { level: 1, name: 'Push notifications' })).toBeVisible();
  await expectAccessible(admin, testInfo);
  await admin.getByLabel('Title').fill('Winter sale');
  await admin.getByLabel('Message').fill('Everything warm is 20 % off this week.');
  await admin.getByLabel('Page to open').fill('/categories/jackets');
  await admin.getByRole('button', { name: 'Send to subscribers' }).click();
  await expect(admin.getByText(/^Queued for \d+ devices\.$/)).toBeVisible();
  await admin.context().close();
});
