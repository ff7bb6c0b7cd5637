/**
 * The playground in a real browser: web/dist served statically, Debian's
 * chromium driven by playwright-core. What a learner does: open the page,
 * read the listing, run the program, make a mistake, download the object.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readImage } from '../../src/image/index.js';
import { ensureBuilt, haveChromium, chromiumPath, launchChromium, root, serveDist } from './browser.js';

if (!haveChromium) console.warn(`test/web: skipped: no chromium at ${chromiumPath} (apt-get install chromium)`);

// Generous time: the machine may be busy, and a browser start is slow on a loaded machine.
describe.skipIf(!haveChromium)('the playground in chromium', { timeout: 120_000 }, () => {
  let browser: Browser;
  // One context for all tests, as one user's browser: its HTTP cache keeps the bundles, so each
  // fresh page below loads them from the cache, with V8's code cache, instead of compiling 1.5 MB
  // of JavaScript again (most of this file's CPU time). Each test still starts on a new page.
  let context: BrowserContext;
  let server: { url: string; close: () => Promise<void> };
  let page: Page;

  beforeAll(async () => {
    ensureBuilt();
    server = await serveDist();
    browser = await launchChromium();
    context = await browser.newContext({ acceptDownloads: true });
  }, 180_000);

  afterAll(async () => {
    await browser.close();
    await server.close();
  });

  /** A fresh page on the default example, with its first assembly done. */
  async function open(): Promise<Page> {
    await page.close().catch(() => undefined);
    page = await context.newPage();
    page.setDefaultTimeout(60_000);
    await page.goto(server.url);
    await page.getByTestId('listing').filter({ hasText: 'B8' }).waitFor({ state: 'attached' });
    return page;
  }

  it("shows the default example's listing with mov eax, 4 as B804000000", async () => {
    page = await context.newPage();
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

  /** Clicks a download button and returns the file's name and bytes. */
  async function download(testId: string): Promise<{ name: string; bytes: Buffer }> {
    const [file] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testId).click()]);
    return { name: file.suggestedFilename(), bytes: readFileSync(await file.path()) };
  }

  it('downloads the executable: what GNU ld + strip make of the same program', async () => {
    await open();
    const { name, bytes } = await download('download-executable');
    expect(name).toBe('hello');
    // Stripped, so the object's file name does not matter: byte for byte ld's output.
    expect(bytes.equals(readFileSync(join(root, 'fixtures', 'linker', 'golden', 'hello')))).toBe(true);
  });

  it('downloads a docker image of the program whose digests check out', async () => {
    await open();
    const { name, bytes } = await download('download-image');
    expect(name).toBe('hello-image.tar');
    const image = await readImage(new Uint8Array(bytes));
    expect(image.format).toBe('docker');
    expect(image.config.architecture).toBe('386');
    expect(image.config.entrypoint).toEqual(['/hello']);
    expect(image.layers).toHaveLength(1);
  });

  it('explains the line under the cursor: mov eax, 4 is opcode B8 and imm32 = 4', async () => {
    await open();
    await page.locator('.cm-line', { hasText: 'mov eax, 4' }).click();
    const explain = page.getByTestId('explain');
    await explain.filter({ hasText: 'Line 20' }).waitFor({ state: 'attached' });
    const text = (await explain.textContent()) ?? '';
    expect(text).toContain('B8 04 00 00 00');
    expect(text).toContain('imm32 = 4');
  });

  it('shows the object in hex and its ELF structure', async () => {
    await open();
    expect(await page.getByTestId('hex').textContent()).toMatch(/00000000 {2}7F 45 4C 46 01 01 01 00/);
    const elf = (await page.getByTestId('elf').textContent()) ?? '';
    expect(elf).toContain('EM_386');
    expect(elf).toContain('.rel.text');
  });

  it('steps through the program with the current source line highlighted', async () => {
    await open();
    await page.getByTestId('step').click();
    const current = page.getByTestId('step-instruction');
    await current.filter({ hasText: 'mov edx,0xc' }).waitFor();
    await page.getByTestId('step-one').click();
    await page.getByTestId('step-one').click();
    await current.filter({ hasText: 'mov ebx,0x1' }).waitFor();
    expect(await page.locator('.cm-step-line').textContent()).toContain('mov ebx, 1');
    expect(await page.getByTestId('stepper').textContent()).toContain('ecx 080490c4');
  });

  it('offers the AVX example in 64-bit', async () => {
    await open();
    await page.getByTestId('example').selectOption({ label: 'AVX (VEX encoding)' });
    await page.getByTestId('status').filter({ hasText: 'avx.asm → elf64' }).waitFor();
    expect(await page.locator('[data-testid=source] .cm-content').textContent()).toContain('vaddps ymm0, ymm0');
  });
});
