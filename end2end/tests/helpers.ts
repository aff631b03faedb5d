import AxeBuilder from '@axe-core/playwright';
import { expect, type Browser, type Page, type TestInfo } from '@playwright/test';
import * as nodeCrypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** True in the project that runs with JavaScript on. */
export function hydrated(testInfo: TestInfo): boolean {
  return testInfo.project.use.javaScriptEnabled !== false;
}

/** Opens `path` and, with JavaScript on, waits until the app has hydrated. If it does not,
 * the failure lists what the browser reported (console errors, failed requests). */
export async function open(page: Page, path: string, testInfo: TestInfo) {
  const reports: string[] = [];
  const onConsole = (m: { type(): string; text(): string }) => {
    if (m.type() === 'error' || m.type() === 'warning') reports.push(`${m.type()}: ${m.text()}`);
  };
  const onError = (e: Error) => reports.push(`pageerror: ${e.message}`);
  const onFailed = (r: { url(): string; failure(): { errorText: string } | null }) =>
    reports.push(`request failed: ${r.url()} ${r.failure()?.errorText}`);
  const onResponse = (r: { url(): string; status(): number; headers(): Record<string, string>; request(): { isNavigationRequest(): boolean }; fromServiceWorker(): boolean }) => {
    if (r.request().isNavigationRequest()) {
      const csp = r.headers()['content-security-policy'] ?? '';
      reports.push(`navigation ${r.url()} ${r.status()} sw=${r.fromServiceWorker()} nonce=${csp.includes('nonce-')}`);
    }
  };
  page.on('console', onConsole);
  page.on('pageerror', onError);
  page.on('requestfailed', onFailed);
  page.on('response', onResponse);
  try {
    const response = await page.goto(path);
    if (hydrated(testInfo)) {
      await expect(page.locator('body'), `hydration of ${path}; browser said: ${JSON.stringify(reports)}`).toHaveAttribute(
        'data-hydrated',
        'true',
      );
    }
    return response;
  } finally {
    page.off('console', onConsole);
    page.off('pageerror', onError);
    page.off('requestfailed', onFailed);
    page.off('response', onResponse);
  }
}

/**
 * Fails on any serious or critical WCAG 2.x A/AA violation on the current page. axe-core runs
 * as a script, so it cannot run where JavaScript is off; there the same server-rendered markup
 * is checked by the hydrated project's run of the same spec.
 */
export async function expectAccessible(page: Page, testInfo: TestInfo) {
  if (!hydrated(testInfo)) return;
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'])
    .analyze();
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(
    serious.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`),
  ).toEqual([]);
}

/** Saves a screenshot under end2end/screenshots for people to look at. */
export async function snapshot(page: Page, name: string, testInfo: TestInfo) {
  await page.screenshot({ path: `screenshots/${testInfo.project.name}-${name}.png`, fullPage: true });
}

/** The demo admin, with the printed key of its authenticator app (README). */
export const ADMIN = {
  email: 'admin@demo-shop.example',
  password: 'demo-admin-password',
  totpKey: 'DEMOSHOPADMINKEYDEMOSHOPADMINKEY',
};

/** Where global-setup.ts keeps the demo admin's signed-in browser state. */
export const ADMIN_STATE = path.join(__dirname, '..', '.state', 'admin.json');

/** RFC 4648 base32 (spaces ignored) to bytes. */
function fromBase32(text: string): Buffer {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const c of text.replace(/\s+/g, '').toUpperCase()) {
    const index = alphabet.indexOf(c);
    if (index < 0) throw new Error(`not base32: ${c}`);
    value = (value << 5) | index;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out.push((value >>> bits) & 0xff);
    }
  }
  return Buffer.from(out);
}

/** The six-digit code an authenticator app with `keyBase32` shows at `atMs` (RFC 6238). */
export function totpCode(keyBase32: string, atMs = Date.now()): string {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(atMs / 1000 / 30)));
  const mac = nodeCrypto.createHmac('sha1', fromBase32(keyBase32)).update(counter).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  const binary = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(binary % 1_000_000).padStart(6, '0');
}

/** Waits until a new 30-second step begins (a code of the step just used is refused), and
 * returns its code. */
export async function nextTotpCode(keyBase32: string, usedAtMs: number): Promise<string> {
  const next = (Math.floor(usedAtMs / 30_000) + 1) * 30_000;
  const wait = next - Date.now();
  if (wait > 0) await new Promise((r) => setTimeout(r, wait + 200));
  return totpCode(keyBase32);
}

/** A page signed in as the demo admin: the session global-setup.ts made, shared by every
 * spec (each sign-in of its own would need a code of its own 30-second step). */
export async function adminPage(browser: Browser, testInfo: TestInfo): Promise<Page> {
  const context = await browser.newContext({
    baseURL: testInfo.project.use.baseURL,
    javaScriptEnabled: hydrated(testInfo),
    storageState: ADMIN_STATE,
  });
  return context.newPage();
}
export const PASSWORD = 'a long and unusual passphrase';

/** A page in a fresh browser context; `baseURL` names another shop than the main one. */
export async function newPage(browser: Browser, testInfo: TestInfo, baseURL = testInfo.project.use.baseURL): Promise<Page> {
  const context = await browser.newContext({
    baseURL,
    javaScriptEnabled: hydrated(testInfo),
  });
  return context.newPage();
}

export async function signIn(page: Page, email: string, password: string, testInfo: TestInfo) {
  await open(page, '/account/sign-in', testInfo);
  await page.getByRole('main').getByRole('textbox', { name: 'E-mail address' }).fill(email);
  await page.getByRole('main').getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page).toHaveURL(/\/account$/);
}

/** Every mail the shop sent so far, oldest first, from the mail drop (`SHOP_MAIL_DIR`, set by
 * run.sh). The mailbox page hides secret links, so specs that follow one read it here. */
export function mailsSent(): { to: string; subject: string; text: string }[] {
  const dir = process.env.SHOP_E2E_MAIL_DIR;
  if (!dir || !fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8')));
}

/** The link to `pathPrefix...` in the newest mail to `to` that has one (path and query),
 * waiting up to 5 s for it: an earlier mail to the same address (the confirmation before the
 * reset) is not taken for the one asked for. */
export async function linkMailedTo(_browser: Browser, to: string, _testInfo: TestInfo, pathPrefix: string): Promise<string> {
  let href: string | undefined;
  await expect
    .poll(
      () => {
        href = mailsSent()
          .filter((m) => m.to === to)
          .map((m) => m.text.match(/https?:\/\/\S+/)?.[0])
          .filter((link): link is string => !!link && new URL(link).pathname.startsWith(pathPrefix))
          .pop();
        return href;
      },
      { message: `a mail with a link to ${to}`, timeout: 5_000 },
    )
    .toBeTruthy();
  const url = new URL(href as string);
  return url.pathname + url.search;
}

/** Registers `email` and confirms it through the mailed link; `page` ends signed in. */
export async function createAccount(page: Page, browser: Browser, email: string, testInfo: TestInfo) {
  await open(page, '/account/register', testInfo);
  await page.getByRole('main').getByRole('textbox', { name: 'E-mail address' }).fill(email);
  await page.getByRole('main').getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page).toHaveURL(/\/account\/check-inbox$/);
  await open(page, await linkMailedTo(browser, email, testInfo, '/account/confirm'), testInfo);
  await page.getByRole('button', { name: 'Confirm my e-mail address' }).click();
  await expect(page).toHaveURL(/\/account$/);
}


/**
 * A web push service on localhost for the shop to send to: a key pair and secret like a
 * browser's, and every message it received, decrypted the way a browser does (RFC 8291).
 */
export async function localPushService() {
  const crypto = await import('node:crypto');
  const http = await import('node:http');
  const ecdh = crypto.createECDH('prime256v1');
  ecdh.generateKeys();
  const auth = crypto.randomBytes(16);
  const bodies: { headers: Record<string, string | string[] | undefined>; body: Buffer }[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      bodies.push({ headers: req.headers, body: Buffer.concat(chunks) });
      res.writeHead(201).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as { port: number }).port;
  const decrypt = (body: Buffer): string => {
    const salt = body.subarray(0, 16);
    const idlen = body[20];
    const senderPublic = body.subarray(21, 21 + idlen);
    const secret = ecdh.computeSecret(senderPublic);
    const info = Buffer.concat([Buffer.from('WebPush: info\0'), ecdh.getPublicKey(), senderPublic]);
    const ikm = Buffer.from(crypto.hkdfSync('sha256', secret, auth, info, 32));
    const cek = Buffer.from(crypto.hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: aes128gcm\0'), 16));
    const nonce = Buffer.from(crypto.hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: nonce\0'), 12));
    const sealed = body.subarray(21 + idlen);
    const decipher = crypto.createDecipheriv('aes-128-gcm', cek, nonce);
    decipher.setAuthTag(sealed.subarray(sealed.length - 16));
    const plain = Buffer.concat([decipher.update(sealed.subarray(0, sealed.length - 16)), decipher.final()]);
    expect(plain[plain.length - 1], 'the last-record delimiter').toBe(2);
    return plain.subarray(0, plain.length - 1).toString('utf8');
  };
  return {
    subscription: {
      endpoint: `http://127.0.0.1:${port}/push/device`,
      p256dh: ecdh.getPublicKey().toString('base64url'),
      auth: auth.toString('base64url'),
    },
    /** The messages received so far, decrypted and parsed. */
    messages: () =>
      bodies.map((b) => {
        expect(b.headers['content-encoding']).toBe('aes128gcm');
        expect(String(b.headers['authorization'])).toMatch(/^vapid t=.+, k=.+$/);
        return JSON.parse(decrypt(b.body)) as { title: string; body: string; url: string };
      }),
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/** Opens the `slot`-th product of the listing on screen and returns its title, once the product
 * page is there: in the app the listing stays on screen until the product page's code and data
 * have come, so its heading must not be read right after the click. */
export async function openProduct(page: Page, slot: number): Promise<string> {
  await page.locator('.product-grid .product-title').nth(slot).click();
  await expect(page).toHaveURL(/\/products\//);
  await expect(page.getByRole('button', { name: /^(Add to cart|Sold out)$/ })).toBeVisible();
  return ((await page.getByRole('heading', { level: 1 }).textContent()) ?? '').trim();
}

/** Puts one in-stock size of the `slot`-th product of a category in the cart; returns its title. */
export async function addToCart(page: Page, testInfo: TestInfo, category: string, slot: number): Promise<string> {
  await open(page, `/categories/${category}`, testInfo);
  const title = await openProduct(page, slot);
  const group = page.getByRole('group', { name: 'Size' });
  if ((await group.count()) > 0) {
    await group.getByRole('radio', { name: /In stock/ }).first().check();
    if (!hydrated(testInfo)) {
      await page.getByRole('button', { name: 'Show this option' }).click();
      await expect(page).toHaveURL(/variant=/);
    }
  }
  await page.getByRole('button', { name: 'Add to cart' }).click();
  if (hydrated(testInfo)) {
    await expect(page.getByRole('status').filter({ hasText: 'Added to your cart.' })).toBeVisible();
  }
  return title;
}

/** From the cart to the payment choice, entering a German address. */
export async function enterAddress(page: Page, testInfo: TestInfo, email: string) {
  await open(page, '/cart', testInfo);
  await page.getByRole('link', { name: 'Go to checkout' }).click();
  await expect(page).toHaveURL(/\/checkout/);
  const main = page.getByRole('main');
  await main.getByLabel('E-mail (for your receipt)').fill(email);
  await main.getByRole('textbox', { name: 'Full name' }).fill('Erika Mustermann');
  await main.getByRole('textbox', { name: 'Street and number' }).fill('Hauptstraße 5');
  await main.getByRole('textbox', { name: 'Postal code' }).fill('10115');
  await main.getByRole('textbox', { name: 'Town or city' }).fill('Berlin');
  await main.getByRole('combobox', { name: 'Country' }).selectOption('DE');
  await main.getByRole('button', { name: 'Continue to shipping' }).click();
  await expect(main.getByRole('group', { name: 'Shipping method' }).getByRole('radio', { name: /Standard/ })).toBeChecked();
  await expect(main.locator('.totals')).toContainText('Including VAT 19 %');
}
