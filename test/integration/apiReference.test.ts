/**
 * The reference page in a real browser (Debian's Chromium driven by playwright-core): it loads
 * from the local server only, reads the live openapi.json, lists the eight operations, and its
 * try-it console creates a customer and then fetches it. Set API_REFERENCE_SCREENSHOT=<file> to
 * refresh the README's screenshot from this run.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { operations } from '../../functions/operations.js';
import { startLocalApi } from '../../local/childServer.js';
import { baseUrl } from './http.js';

const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const available = existsSync(executablePath);
if (!available && process.env.CI === 'true') {
  throw new Error(`Chromium is missing at ${executablePath}: .ci/run installs Debian's chromium package`);
}

describe.skipIf(!available)('the API reference page (/docs)', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await chromium.launch({
      executablePath,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  });
  afterAll(async () => browser?.close());

  it('lists the eight operations and creates, then fetches, a customer with its try-it console', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const origin = new URL(baseUrl()).origin;
    const elsewhere: string[] = [];
    page.on('request', (request) => {
      if (!request.url().startsWith(origin) && !request.url().startsWith('data:')) elsewhere.push(request.url());
    });
    await page.goto(`${baseUrl()}docs`);
    await page.waitForSelector('.opblock', { timeout: 30_000 });
    expect(await page.locator('.opblock').count()).toBe(8);
    for (const operation of operations.filter((candidate) => !('apiVersion' in candidate))) {
      expect(await page.locator(`[id$="-${operation.operationId}"]`).count(), operation.operationId).toBe(1);
    }

    // createCustomer: the example body is the README's sample customer; Execute sends it.
    const create = page.locator('[id$="-createCustomer"]');
    await create.locator('.opblock-summary').click();
    await create.locator('button.execute').click();
    const createdStatus = create.locator('.live-responses-table tbody .response-col_status').first();
    await expect.poll(() => createdStatus.textContent(), { timeout: 15_000 }).toContain('201');
    const createdBody = await create.locator('.live-responses-table .microlight').first().textContent();
    const created = JSON.parse(createdBody ?? '{}') as { id: string; name: string };
    expect(created.name).toBe('Moon Football Club');

    // retrieveCustomer with the id the console just answered.
    const retrieve = page.locator('[id$="-retrieveCustomer"]');
    await retrieve.locator('.opblock-summary').click();
    await retrieve.locator('input[placeholder="id"]').fill(created.id);
    await retrieve.locator('button.execute').click();
    const fetchedStatus = retrieve.locator('.live-responses-table tbody .response-col_status').first();
    await expect.poll(() => fetchedStatus.textContent(), { timeout: 15_000 }).toContain('200');
    const fetched = JSON.parse(
      (await retrieve.locator('.live-responses-table .microlight').first().textContent()) ?? '{}',
    );
    expect(fetched).toMatchObject({ id: created.id, name: 'Moon Football Club' });

    const screenshot = process.env.API_REFERENCE_SCREENSHOT;
    if (screenshot) {
      // The operations, and the console's answer to the fetch: from the top to that answer's status.
      await create.locator('.opblock-summary').click();
      await retrieve
        .locator('.curl-command, .request-url')
        .evaluateAll((nodes) => nodes.forEach((node) => node.remove()));
      const bottom = await retrieve.locator('.live-responses-table tbody tr').first().boundingBox();
      mkdirSync(dirname(screenshot), { recursive: true });
      await page.screenshot({
        path: screenshot,
        fullPage: true,
        clip: {
          x: 0,
          y: 0,
          width: 1280,
          height: Math.min(2400, (bottom?.y ?? 900) + Math.min(bottom?.height ?? 0, 420) + 20),
        },
      });
    }

    expect(elsewhere).toEqual([]); // no CDN, fonts or online validator
    await page.close();
  }, 90_000);

  it('lists the v5 operations from the top bar, from the live v5 description', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${baseUrl()}docs`);
    await page.waitForSelector('.opblock', { timeout: 30_000 });
    await page.locator('.topbar select').selectOption('v5.0.1');
    await expect.poll(() => page.locator('.information-container .version').first().textContent()).toContain('5.0.1');
    expect(await page.locator('.opblock').count()).toBe(8);
    for (const operation of operations) {
      if (!('apiVersion' in operation)) continue;
      const id = operation.specOperationId ?? operation.operationId;
      expect(await page.locator(`[id$="-${id}"]`).count(), id).toBe(1);
    }
    await page.close();
  }, 60_000);

  it('signs in with client credentials (LOCAL_AUTH) from its Authorize dialog, then lists customers', async () => {
    const api = await startLocalApi({ env: { LOCAL_AUTH: 'true' } });
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      await page.goto(`${api.baseUrl}docs`);
      await page.waitForSelector('.opblock', { timeout: 30_000 });
      const client = JSON.parse(readFileSync(join(api.dataDir, 'local-client.json'), 'utf8')) as {
        clientId: string;
        clientSecret: string;
      };
      await page.locator('button.authorize').first().click();
      const dialog = page.locator('.dialog-ux');
      const flow = dialog.locator('.auth-container').filter({ hasText: 'clientCredentials' });
      await flow.locator('#client_id_clientCredentials').fill(client.clientId);
      await flow.locator('#client_secret_clientCredentials').fill(client.clientSecret);
      await flow.locator('a[data-all="true"]').click(); // select all scopes
      await flow.locator('button.authorize').click(); // the browser asks the local token endpoint
      await expect.poll(() => flow.locator('button', { hasText: 'Logout' }).count(), { timeout: 15_000 }).toBe(1);
      await dialog.locator('button.close-modal').click();

      const list = page.locator('[id$="-listCustomer"]');
      await list.locator('.opblock-summary').click();
      await list.locator('button.execute').click();
      const status = list.locator('.live-responses-table tbody .response-col_status').first();
      await expect.poll(() => status.textContent(), { timeout: 15_000 }).toContain('200');
      await page.close();
    } finally {
      await api.stop();
    }
  }, 120_000);
});
