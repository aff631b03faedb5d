// Signs the demo admin in once for the whole run (password, then a code computed from its
// printed key) and keeps the browser state for `adminPage` in the specs. One sign-in, because
// each code works once: parallel sign-ins within one 30-second step would refuse each other.
import { chromium, expect, type FullConfig } from '@playwright/test';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ADMIN, ADMIN_STATE, totpCode } from './tests/helpers';

export default async function globalSetup(config: FullConfig) {
  const baseURL = config.projects[0].use.baseURL;
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu'],
  });
  try {
    const context = await browser.newContext({ baseURL, javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto('/account/sign-in');
    await page.getByRole('main').getByRole('textbox', { name: 'E-mail address' }).fill(ADMIN.email);
    await page.getByRole('main').getByLabel('Password').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expect(page).toHaveURL(/\/account\/two-step$/);
    await page.getByLabel('Code').fill(totpCode(ADMIN.totpKey));
    await page.getByRole('button', { name: 'Continue' }).click();
    await expect(page).toHaveURL(/\/account$/);
    fs.mkdirSync(path.dirname(ADMIN_STATE), { recursive: true });
    await context.storageState({ path: ADMIN_STATE });
  } finally {
    await browser.close();
  }
}
