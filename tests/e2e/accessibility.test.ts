/**
 * WCAG 2.2 AA checks axe does not make, in real Chromium: at 200 % zoom (a 1280×800 tablet seen as
 * 640×400 CSS pixels) every keyboard stop on the CARE 01 form is on screen and not covered by
 * anything stuck to the edges; the header's controls are at least 44×44 px and fit one row at
 * 1024 px; a skip link leads to the content; each screen has its own title; the language button's
 * name is its text; the Thai font ships with the app.
 */
import { describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { USERS, type TestServer } from '../helpers/server.ts';
import { logIn, newTablet, useE2e, waitForPhase } from './harness.ts';

let server: TestServer;
let browser: Browser;

useE2e((e2e) => ({ server, browser } = e2e));

/** Is the focused element on screen, with its centre not under another element (a stuck header or bar)? */
function focusedUncovered(page: Page) {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el || el === document.body) return { id: '', ok: true };
    const r = el.getBoundingClientRect();
    const x = Math.min(Math.max(r.left + r.width / 2, 0), window.innerWidth - 1);
    const y = Math.min(Math.max(r.top + Math.min(r.height / 2, 10), 0), window.innerHeight - 1);
    const onScreen = r.bottom > 0 && r.top < window.innerHeight;
    const hit = document.elementFromPoint(x, y);
    // The element itself, its own label (radio tiles), or something inside it.
    const mine =
      !!hit &&
      (el.contains(hit) || hit.contains(el) || (hit.closest('label') !== null && hit.closest('label') === el.closest('label')));
    return { id: el.id || el.getAttribute('name') || el.tagName, ok: onScreen && mine };
  });
}

describe('accessibility', () => {
  it('at 200 % zoom every keyboard stop on CARE 01 stays visible, nothing stuck covers it', async () => {
    const context = await browser.newContext({
      viewport: { width: 640, height: 400 },
      deviceScaleFactor: 2,
      locale: 'th-TH',
      timezoneId: 'Asia/Bangkok'
    });
    const page = await context.newPage();
    await logIn(page, server.url, USERS.officerA);
    await page.click('[data-testid=new-care01]');
    await page.waitForSelector('#in-prisonerId');
    expect(await page.evaluate(() => getComputedStyle(document.querySelector('header')!).position)).not.toMatch(/sticky|fixed/);

    await page.focus('#in-prisonerId');
    const covered: string[] = [];
    for (let i = 0; i < 60; i++) {
      const r = await focusedUncovered(page);
      if (!r.ok) covered.push(r.id);
      await page.keyboard.press('Tab');
    }
    expect(covered).toEqual([]);
    await context.close();
  });

  it('header: one row at 1024 px, controls ≥ 44×44 px; skip link; titles; language button named by its text; Sarabun loaded', async () => {
    const { context, page } = await newTablet(browser, { width: 1024, height: 768 });
    await logIn(page, server.url, USERS.officerA);
    await waitForPhase(page, 'up-to-date');

    const header = await page.evaluate(() => {
      const h = document.querySelector('header')!;
      const controls = Array.from(h.querySelectorAll<HTMLElement>('a, button, select')).filter((e) => e.offsetParent !== null);
      const small = controls
        .map((c) => ({ t: c.textContent?.trim(), r: c.getBoundingClientRect() }))
        .filter((c) => c.r.width < 44 || c.r.height < 44)
        .map((c) => `${c.t} ${Math.round(c.r.width)}×${Math.round(c.r.height)}`);
      const tops = new Set(controls.map((c) => Math.round(c.getBoundingClientRect().top / 10)));
      return { height: h.getBoundingClientRect().height, small, rows: tops.size };
    });
    expect(header.small).toEqual([]);
    expect(header.height).toBeLessThan(70);

    expect(await page.title()).toBe('รายชื่อบุคคล · CARE Field');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('ข้ามไปยังเนื้อหา');
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('main-content');

    const lang = page.getByRole('button', { name: 'English', exact: true });
    expect(await lang.textContent()).toBe('English');
    await lang.click();
    expect(await page.title()).toBe('People · CARE Field');
    expect(await page.getByRole('button', { name: 'ภาษาไทย', exact: true }).count()).toBe(1);
    await page.getByRole('button', { name: 'ภาษาไทย', exact: true }).click();

    await page.goto(`${server.url}/sync`);
    await expect.poll(() => page.title()).toBe('ศูนย์ซิงก์ · CARE Field');
    // The shipped font is in use for Thai text.
    await expect.poll(() => page.evaluate(() => document.fonts.check('400 17px Sarabun', 'ทดสอบ'))).toBe(true);
    expect(
      await page.evaluate(async () => {
        await document.fonts.ready;
        return Array.from(document.fonts).some((f) => f.family.replace(/"/g, '') === 'Sarabun' && f.status === 'loaded');
      })
    ).toBe(true);
    await context.close();
  });
});
