import { expect, test } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { hydrated } from './helpers';

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

async function startServer(port: number, dir: string): Promise<ChildProcess> {
  const root = path.resolve(__dirname, '../..');
  const child = spawn(path.join(root, 'target/release/server'), [], {
    cwd: root,
    env: {
      ...process.env,
      SHOP_ADDR: `127.0.0.1:${port}`,
      DATABASE_URL: `sqlite://${dir}/shop.db`,
      SHOP_DEMO_DATA: 'true',
      LEPTOS_SITE_ROOT: 'target/site',
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
