/**
 * A tablet whose first visit is a deep link (a person's page sent in a message) installs the
 * service worker at the site root, says plainly when it is ready to work with no signal, and then
 * opens that deep link from a cold start offline. The app's files come compressed.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { minimalPerson } from '../../src/lib/domain/test-fixtures.ts';
import { PASSWORD, UNIT_A, USERS, type TestServer } from '../helpers/server.ts';
import { newTablet, useE2e, waitForServiceWorker } from './harness.ts';

let server: TestServer;
let browser: Browser;

useE2e((e2e) => ({ server, browser } = e2e));

const basic = 'Basic ' + Buffer.from(`${USERS.officerA}:${PASSWORD}`).toString('base64');

describe('offline from any first page', () => {
  it('first visit at /people/<id>: service worker at scope /, "ready offline" notice, then a cold start offline opens the person', async () => {
    const uuid = randomUUID();
    const person = minimalPerson({
      _id: `person:${uuid}`,
      unitId: UNIT_A,
      createdBy: USERS.officerA,
      updatedBy: USERS.officerA,
      prisonerId: 'DEEP-0001',
      firstName: 'ลิงก์ตรง',
      lastName: 'ทดสอบ'
    });
    const put = await fetch(`${server.url}/sync/${UNIT_A}/_bulk_docs`, {
      method: 'POST',
      headers: { authorization: basic, 'content-type': 'application/json' },
      body: JSON.stringify({ docs: [person] })
    });
    expect(put.status).toBe(201);

    const { context, page } = await newTablet(browser);
    // The very first request of this browser profile is the deep link.
    await page.goto(`${server.url}/people/${uuid}`);
    await page.waitForURL('**/login');
    const scope = await page.evaluate(async () => (await navigator.serviceWorker.ready).scope);
    expect(scope).toBe(`${server.url}/`);
    const scriptURL = await page.evaluate(async () => (await navigator.serviceWorker.ready).active?.scriptURL);
    expect(scriptURL).toBe(`${server.url}/sw.js`);

    await page.fill('#username', USERS.officerA);
    await page.fill('#password', PASSWORD);
    await page.click('button[type=submit]');
    await page.waitForURL(server.url + '/');
    await waitForServiceWorker(page);
    // Told plainly: app files cached and the unit's data synced.
    await page.waitForSelector('[data-testid=offline-readiness][data-ready=true]', { timeout: 30_000 });
    expect(await page.textContent('[data-testid=offline-readiness]')).toContain('พร้อมทำงานแบบออฟไลน์แล้ว');
    await page.close();

    // Cold start with no signal, straight at the deep link.
    await context.setOffline(true);
    const cold = await context.newPage();
    await cold.goto(`${server.url}/people/${uuid}`);
    await cold.waitForSelector('[data-testid=person-name]');
    expect(await cold.textContent('[data-testid=person-name]')).toContain('ลิงก์ตรง ทดสอบ');
    // Already ready at start: no "not ready" warning on this start.
    expect(await cold.getAttribute('[data-testid=offline-readiness]', 'data-ready')).toBe('true');
    await context.close();
  });

  it('serves the app files compressed (brotli, gzip) and keeps entry points revalidated', async () => {
    const index = await fetch(`${server.url}/index.html`, { headers: { 'accept-encoding': 'br' } });
    expect(index.headers.get('content-encoding')).toBe('br');
    expect(index.headers.get('cache-control')).toBe('no-cache');
    const html = await index.text();
    const script = /\/_app\/immutable\/entry\/start\.[\w-]+\.js/.exec(html)?.[0];
    expect(script).toBeTruthy();
    const gz = await fetch(`${server.url}${script}`, { headers: { 'accept-encoding': 'gzip' } });
    expect(gz.headers.get('content-encoding')).toBe('gzip');
    expect(gz.headers.get('cache-control')).toContain('immutable');
    const plain = await fetch(`${server.url}${script}`, { headers: { 'accept-encoding': 'identity' } });
    expect(plain.headers.get('content-encoding')).toBeNull();
    // A deep link falls back to the app's page, compressed too.
    const deep = await fetch(`${server.url}/people/${randomUUID()}`, { headers: { 'accept-encoding': 'br' } });
    expect(deep.status).toBe(200);
    expect(deep.headers.get('content-encoding')).toBe('br');
  });
});
