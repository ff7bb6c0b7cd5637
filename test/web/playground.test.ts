/**
 * The playground in a real browser: web/dist served statically, Debian's
 * chromium driven by playwright-core. What a learner does: open the page,
 * read the listing, run the program, make a mistake, download the object.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { readFileSync } from 'node:fs';
import { ensureBuilt, haveChromium, chromiumPath, launchChromium, serveDist } from './browser.js';

if (!haveChromium) console.warn(`test/web: skipped: no chromium at ${chromiumPath} (apt-get install chromium)`);

describe.skipIf(!haveChromium)('the playground in chromium', () => {
  let browser: Browser;
  let server: { url: string; close: () => Promise<void> };
  let page: Page;

  beforeAll(async () => {
    ensureBuilt();
    server = await serveDist();
    browser = await launchChromium();
  }, 180_000);

  afterAll(async () => {
    await browser.close();
    await server.close();
  });

  /** A fresh page on the default example, with its first assembly done. */
  async function open(): Promise<Page> {
    await page.close().catch(() => undefined);
    page = await browser.newPage({ acceptDownloads: true });
    await page.goto(server.url);
    await page.getByTestId('listing').filter({ hasText: 'B8' }).waitFor({ state: 'attached' });
    return page;
  }

  it("shows the default example's listing with mov eax, 4 as B804000000", async () => {
    page = await browser.newPage();
    await open();
    const listing = (await page.getByTestId('listing').textContent()) ?? '';
    expect(listing).toMatch(/^ +\d+ 0+[0-9A-F]+ B804000000 +mov eax, 4/m);
    expect(await page.getByTestId('diagnostics').textContent()).toContain('No messages.');
  });

  it('links and runs the program: stdout shows Hello World', async () => {
    await open();
    await page.getByTestId('run').click();
    await page.getByTestId('exit-status').filter({ hasText: 'exit status' }).waitFor();
    expect(await page.getByTestId('stdout').textContent()).toBe('Hello World\n');
    expect(await page.getByTestId('exit-status').textContent()).toContain('exit status 0');
  });

  it('reports nasm\'s message for "mov al, ebx" inline and in the diagnostics pane', async () => {
    await open();
    await page.locator('[data-testid=source] .cm-content').click();
    await page.keyboard.press('Control+A');
    await page.keyboard.type('mov al, ebx\n');
    const diagnostics = page.getByTestId('diagnostics');
    await diagnostics.filter({ hasText: 'invalid combination' }).waitFor();
    expect(await diagnostics.textContent()).toBe('hello.asm:1: error: invalid combination of opcode and operands');
    // The editor marks the line (CodeMirror's lint underline).
    await page.locator('[data-testid=source] .cm-lintRange-error').first().waitFor();
  });

  it('downloads the object file: an ELF file', async () => {
    await open();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-object').click()]);
    expect(download.suggestedFilename()).toBe('hello.o');
    const bytes = readFileSync(await download.path());
    expect([...bytes.subarray(0, 4)]).toEqual([0x7f, 0x45, 0x4c, 0x46]);
    expect(bytes.length).toBeGreaterThan(400);
  });
});
