import { expect, test } from '@playwright/test';
import * as fs from 'node:fs';
import { createAccount, newPage, open } from './helpers';

test('a customer downloads everything the shop holds about them as JSON', async ({ browser }, testInfo) => {
  const page = await newPage(browser, testInfo);
  const email = `export-${testInfo.project.name}-${Date.now()}@example.com`;
  await createAccount(page, browser, email, testInfo);
  await open(page, '/account', testInfo);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Download your data (JSON)' }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^personal-data-\d{4}-\d{2}-\d{2}\.json$/);
  const data = JSON.parse(fs.readFileSync(await download.path(), 'utf8'));
  expect(data.format).toBe('shop.personal-data/1');
  expect(data.account.email).toBe(email);
  expect(data.account.email_confirmed).toBe(true);
  expect(data.sign_in.sessions.length).toBeGreaterThan(0);
  expect(data.orders).toEqual([]);
  // (The security events come from the audit log, which takes entries a moment after they
  // happen; the Rust test checks them.)
  expect(Array.isArray(data.security_events)).toBe(true);
  // Nothing in it opens the account.
  expect(JSON.stringify(data)).not.toContain('$argon2');
});
