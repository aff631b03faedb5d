import { expect, test } from '@playwright/test';
import { open, snapshot } from './helpers';

// Every storefront page on two common phone sizes: no sideways scrolling, controls big enough
// to touch (44 px), text readable without zooming (16 px for body text and inputs).

const SIZES = [
  { width: 360, height: 640 },
  { width: 390, height: 844 },
];

async function storefrontPages(page: import('@playwright/test').Page, testInfo: import('@playwright/test').TestInfo) {
  await open(page, '/', testInfo);
  const product = await page.locator('main a[href^="/products/"]').first().getAttribute('href');
  const category = await page.locator('a[href^="/categories/"]').first().getAttribute('href');
  return ['/', category as string, product as string, '/search?q=shirt', '/cart', '/checkout', '/account/sign-in', '/account/register'];
}

for (const size of SIZES) {
  test(`storefront pages fit a ${size.width}x${size.height} phone`, async ({ page }, testInfo) => {
    test.setTimeout(60_000);
    await page.setViewportSize(size);
    for (const path of await storefrontPages(page, testInfo)) {
      await open(page, path, testInfo);
      const report = await page.evaluate(() => {
        const overflow = document.documentElement.scrollWidth - window.innerWidth;
        const small: string[] = [];
        const controls = document.querySelectorAll<HTMLElement>(
          'button, select, input:not([type=hidden]):not([type=checkbox]):not([type=radio]), header a, nav a, a.button',
        );
        for (const el of controls) {
          const box = el.getBoundingClientRect();
          if (box.width === 0 || box.height === 0) continue;
          if (getComputedStyle(el).visibility === 'hidden') continue;
          // Skip links become visible on focus only.
          if (el.classList.contains('skip-link')) continue;
          if (box.height < 44) small.push(`${el.tagName.toLowerCase()} "${(el.textContent || el.getAttribute('aria-label') || el.getAttribute('name') || '').trim().slice(0, 30)}" ${Math.round(box.height)}px`);
        }
        const bodySize = parseFloat(getComputedStyle(document.body).fontSize);
        return { overflow, small, bodySize };
      });
      expect(report.overflow, `${path} scrolls sideways`).toBeLessThanOrEqual(0);
      expect(report.small, `${path}: controls under 44 px`).toEqual([]);
      expect(report.bodySize, `${path} body text`).toBeGreaterThanOrEqual(16);
      await snapshot(page, `mobile-${size.width}${path.replace(/[^a-z0-9]+/gi, '-')}`, testInfo);
    }
  });
}
