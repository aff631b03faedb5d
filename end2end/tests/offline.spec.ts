import { chromium, expect, test } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { hydrated } from './helpers';
import type { Page } from '@playwright/test';

// The service worker needs JavaScript, and this spec stops a server: it starts its own.

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      srv.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject()));
    });
  });
}

async function startServer(port: number, dir: string, site = 'target/site'): Promise<ChildProcess> {
  const root = path.resolve(__dirname, '../..');
  const child = spawn(path.join(root, 'target/release/server'), [], {
    cwd: root,
    env: {
      ...process.env,
      SHOP_ADDR: `127.0.0.1:${port}`,
      DATABASE_URL: `sqlite://${dir}/shop.db`,
      SHOP_DEMO_DATA: 'true',
      SHOP_PUSH_PRIVATE_HOSTS: 'true',
      LEPTOS_SITE_ROOT: site,
      RUST_LOG: 'warn',
    },
    stdio: 'ignore',
  });
  for (let i = 0; i < 100; i++) {
    try {
      const r = await fetch(`http://127.0.0.1:${port}/readyz`);
      if (r.ok) return child;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error('server did not start');
}

test('pages answer with the offline page when the shop cannot be reached', async ({ page }, testInfo) => {
  test.skip(!hydrated(testInfo), 'service workers need JavaScript');
  const dir = mkdtempSync(path.join(tmpdir(), 'shop-offline-'));
  const port = await freePort();
  let server: ChildProcess | undefined = await startServer(port, dir);
  try {
    const base = `http://127.0.0.1:${port}`;
    await page.goto(`${base}/`);
    await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
    // The worker installs, precaches the offline page and takes control of the page.
    await page.waitForFunction(async () => {
      const reg = await navigator.serviceWorker.ready;
      return reg.active?.state === 'activated' && navigator.serviceWorker.controller !== null;
    });
    const cached = await page.evaluate(async () => {
      const names = await caches.keys();
      const shell = names.find((n) => n.startsWith('shop-shell-'));
      return shell ? Boolean(await (await caches.open(shell)).match('/offline.html')) : false;
    });
    expect(cached).toBe(true);

    server.kill('SIGTERM');
    await new Promise((r) => server?.once('exit', r));
    server = undefined;

    await page.goto(`${base}/some/page/never/seen`);
    await expect(page.getByRole('heading', { level: 1, name: 'You are offline' })).toBeVisible();
    await expect(page).toHaveTitle('You are offline');
  } finally {
    server?.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
});

async function workerControls(page: Page) {
  await page.waitForFunction(async () => {
    const reg = await navigator.serviceWorker.ready;
    return reg.active?.state === 'activated' && navigator.serviceWorker.controller !== null;
  });
}

test('the manifest and the active worker make the shop installable', async ({ browserName }, testInfo) => {
  test.skip(!hydrated(testInfo), 'service workers need JavaScript');
  // Chromium never offers installation in a private window, which Playwright's contexts are:
  // a real profile it is.
  const profile = mkdtempSync(path.join(tmpdir(), 'shop-profile-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
    baseURL: testInfo.project.use.baseURL,
  });
  try {
    expect(browserName).toBe('chromium');
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto('/');
    await workerControls(page);
    const cdp = await context.newCDPSession(page);
    const manifest = await cdp.send('Page.getAppManifest');
    expect(manifest.errors).toEqual([]);
    const parsed = JSON.parse(manifest.data ?? '{}');
    expect(parsed.display).toBe('standalone');
    expect(parsed.icons.some((i: { purpose: string }) => i.purpose === 'maskable')).toBe(true);
    const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
    expect(installabilityErrors).toEqual([]);
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
});

test('seen pages and the cart work offline, and an item added offline reaches the cart once', async ({ page }, testInfo) => {
  test.skip(!hydrated(testInfo), 'service workers need JavaScript');
  test.setTimeout(90_000);
  const dir = mkdtempSync(path.join(tmpdir(), 'shop-sync-'));
  const port = await freePort();
  let server: ChildProcess | undefined = await startServer(port, dir);
  try {
    const base = `http://127.0.0.1:${port}`;
    await page.goto(`${base}/`);
    await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
    await workerControls(page);
    const category = await page.locator('main a[href^="/categories/"]').first().getAttribute('href');
    const products = await page.locator('main a[href^="/products/"]').evaluateAll((links) =>
      [...new Set(links.map((a) => a.getAttribute('href') as string))].slice(0, 2),
    );
    expect(products.length).toBe(2);
    const titles: string[] = [];
    for (const product of products) {
      await page.goto(`${base}${product}`);
      await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
      titles.push((await page.getByRole('heading', { level: 1 }).textContent()) ?? '');
    }
    await page.goto(`${base}/cart`);
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();

    // A category saved for offline: its page and its products' pages are kept.
    await page.goto(`${base}${category}`);
    await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
    const listed = await page.locator('main a[href^="/products/"]').evaluateAll((links) =>
      links.map((a) => a.getAttribute('href') as string).filter((h) => h),
    );
    const unseen = listed.find((href) => !products.includes(href)) as string;
    expect(unseen).toBeTruthy();
    await page.getByRole('button', { name: 'Save for offline' }).click();
    await expect(page.getByText(/^Saved for offline: \d+ pages and pictures\.$/)).toBeVisible({ timeout: 30_000 });

    server.kill('SIGTERM');
    await new Promise((r) => server?.once('exit', r));
    server = undefined;

    // Seen product pages, the cart and the offline page still render.
    await page.goto(`${base}${products[0]}`);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(titles[0]);
    await page.goto(`${base}/cart`);
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    await page.goto(`${base}/a/page/never/seen`);
    await expect(page.getByRole('heading', { level: 1, name: 'You are offline' })).toBeVisible();
    // A product never opened, from the saved category.
    await page.goto(`${base}${unseen}`);
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    // Search answers from the products seen on this device.
    const word = titles[0].split(/\s+/).find((w) => w.length >= 4) as string;
    await page.goto(`${base}/search?q=${encodeURIComponent(word.toLowerCase())}`);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Results for “${word.toLowerCase()}”`);
    await expect(page.getByRole('link', { name: titles[0] })).toBeVisible();
    await page.screenshot({ path: 'screenshots/hydrated-offline-search.png', fullPage: true });

    // Add to the cart while the server is down: kept on the device.
    await page.goto(`${base}${products[1]}`);
    await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
    await page.getByRole('button', { name: 'Add to cart' }).click();
    await expect(page.getByText('Saved on this device')).toBeVisible();
    await expect(page.getByText('1 change is waiting to be sent.')).toBeVisible();
    await page.screenshot({ path: 'screenshots/hydrated-offline-saved.png', fullPage: true });

    // The server returns; the app's start sends the change, twice here (two loads).
    server = await startServer(port, dir);
    await page.goto(`${base}${products[1]}`);
    await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
    const units = async () => {
      const r = await page.request.post(`${base}/api/cart/get`, { headers: { accept: 'application/json' } });
      return (await r.json()).units;
    };
    await expect.poll(units, { timeout: 15_000 }).toBe(1);
    await page.reload();
    await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
    // The page came from the worker's cache (kept before the item was added), yet the header
    // shows the cart as it is now.
    await expect(page.getByRole('link', { name: 'Cart 1 item' })).toBeVisible();
    await page.waitForTimeout(1000);
    expect(await units()).toBe(1);
    await expect(page.getByText('waiting to be sent')).toHaveCount(0);
  } finally {
    server?.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a push message delivered to the worker shows a notification', async ({ page, context }, testInfo) => {
  test.skip(!hydrated(testInfo), 'service workers need JavaScript');
  const origin = new URL(testInfo.project.use.baseURL as string).origin;
  await context.grantPermissions(['notifications'], { origin });
  await page.goto('/');
  await workerControls(page);
  const cdp = await context.newCDPSession(page);
  const registration = new Promise<string>((resolve) => {
    cdp.on('ServiceWorker.workerRegistrationUpdated', (e) => {
      const own = e.registrations.find((r) => r.scopeURL.startsWith(origin) && !r.isDeleted);
      if (own) resolve(own.registrationId);
    });
  });
  await cdp.send('ServiceWorker.enable');
  const registrationId = await registration;
  await cdp.send('ServiceWorker.deliverPushMessage', {
    origin,
    registrationId,
    data: JSON.stringify({ title: 'Order 1001: Shipped', body: 'On its way', url: '/account/orders', tag: 'order-1001' }),
  });
  await expect
    .poll(async () =>
      page.evaluate(async () => {
        const reg = await navigator.serviceWorker.ready;
        return (await reg.getNotifications()).map((n) => `${n.title} | ${n.body}`);
      }),
    )
    .toEqual(['Order 1001: Shipped | On its way']);
});

test('the install offer comes after a few pages and stays away once dismissed', async ({ page }, testInfo) => {
  test.skip(!hydrated(testInfo), 'the offer needs JavaScript');
  // Chromium only fires beforeinstallprompt on its own schedule; the test plays the browser.
  await page.addInitScript(() => {
    window.addEventListener('DOMContentLoaded', () => {
      const offer = new Event('beforeinstallprompt', { cancelable: true }) as Event & {
        prompt?: () => Promise<void>;
        userChoice?: Promise<{ outcome: string }>;
      };
      offer.prompt = async () => {
        (window as unknown as { __prompted: boolean }).__prompted = true;
      };
      offer.userChoice = Promise.resolve({ outcome: 'dismissed' });
      // After the app's listener is in place (it is added before hydration).
      const fire = () => {
        if (document.body.dataset.hydrated === 'true') window.dispatchEvent(offer);
        else setTimeout(fire, 50);
      };
      fire();
    });
  });
  await page.goto('/');
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  await expect(page.getByRole('region', { name: 'Install the shop' })).toHaveCount(0);
  await page.goto('/search?q=shirt');
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  await page.goto('/cart');
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  const offer = page.getByRole('region', { name: 'Install the shop' });
  await expect(offer).toBeVisible();
  await page.screenshot({ path: 'screenshots/hydrated-install-offer.png' });
  await offer.getByRole('button', { name: 'Install' }).click();
  expect(await page.evaluate(() => (window as unknown as { __prompted?: boolean }).__prompted)).toBe(true);
  // Declined in the browser's dialog: not offered again for a while.
  await page.goto('/');
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  await page.waitForTimeout(500);
  await expect(page.getByRole('region', { name: 'Install the shop' })).toHaveCount(0);
});

test('a new version waits until the shopper reloads, then takes over', async ({ page }, testInfo) => {
  test.skip(!hydrated(testInfo), 'service workers need JavaScript');
  test.setTimeout(60_000);
  const dir = mkdtempSync(path.join(tmpdir(), 'shop-update-'));
  // A copy of the site whose worker can be "deployed" anew by changing its version.
  const site = path.join(dir, 'site');
  cpSync(path.resolve(__dirname, '../../target/site'), site, { recursive: true });
  const port = await freePort();
  const server = await startServer(port, dir, site);
  try {
    const base = `http://127.0.0.1:${port}`;
    await page.goto(`${base}/`);
    await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
    await workerControls(page);
    const before = await page.evaluate(async () => (await caches.keys()).filter((n) => n.startsWith('shop-shell-')));
    expect(before.length).toBe(1);

    const script = path.join(site, 'sw.js');
    const deployed = readFileSync(script, 'utf8').replace(/const VERSION = '([^']+)'/, "const VERSION = '$1next'");
    writeFileSync(script, deployed);
    await page.evaluate(async () => (await navigator.serviceWorker.ready).update());

    const notice = page.getByRole('status').filter({ hasText: 'A new version is available.' });
    await expect(notice).toBeVisible({ timeout: 20_000 });
    await page.screenshot({ path: 'screenshots/hydrated-update-available.png' });
    await Promise.all([page.waitForEvent('load'), notice.getByRole('button', { name: 'Reload' }).click()]);
    await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
    await expect
      .poll(() => page.evaluate(async () => (await caches.keys()).filter((n) => n.startsWith('shop-shell-'))))
      .toEqual([`${before[0]}next`]);
  } finally {
    server.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
});
