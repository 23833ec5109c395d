// The editor's second generation in a real workbench: the image hover, the batch preview and the
// walkthrough. Screenshots go to out/screenshots/; with JUMIO_UPDATE_DOCS=1 the README's copies
// in docs/ are replaced too.
import * as assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { FrameLocator, Page } from 'playwright-core';
import { PicturedBatch, writePicturedBatch } from '../helpers/picturedBatch';
import { selfie } from '../helpers/raster';
import { SCREENSHOTS, openFromExplorer, openWorkbench, ROOT, runCommand, shot, statusItem, type Workbench } from '../helpers/workbench';

/** A screenshot that the README shows: out/screenshots, and docs/ when asked to update it. */
async function docShot(page: Page, name: string): Promise<void> {
  await shot(page, name);
  if (process.env.JUMIO_UPDATE_DOCS === '1') copyFileSync(path.join(SCREENSHOTS, `${name}.png`), path.join(ROOT, 'docs', `${name}.png`));
}

/** The content frame of the (one) webview panel: VS Code nests it in a host frame. */
function previewFrame(page: Page): FrameLocator {
  return page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
}

/** What the tests read of an <img> (the test build has no DOM types). */
interface ImageElement { src: string; naturalWidth: number; naturalHeight: number; width: number; height: number; decode(): Promise<void> }

describe('the editor in a real VS Code workbench: image hover, batch preview, walkthrough', function () {
  this.timeout(180_000);
  let workspace: string;
  let wb: Workbench;
  let batch: PicturedBatch;

  before(async () => {
    workspace = mkdtempSync(path.join(tmpdir(), 'jumio-ui-editor-'));
    mkdirSync(path.join(workspace, 'kyc-batch'));
    batch = writePicturedBatch(path.join(workspace, 'kyc-batch'), 12, 5);
    wb = await openWorkbench({ workspace, userSettings: { 'workbench.colorTheme': 'Default Dark Modern' } });
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && wb) await shot(wb.page, `failed-${this.currentTest.title.slice(0, 40).replace(/\W+/g, '-')}`);
  });

  after(async () => {
    await wb?.stop();
    if (workspace) rmSync(workspace, { recursive: true, force: true });
  });

  it('hovering an image cell shows the image as a thumbnail with its pixel size, bytes and format', async () => {
    const { page } = wb;
    await openFromExplorer(page, 'kyc-batch');
    assert.equal(batch.missingFaces.length, 2);
    await statusItem(page, /Batch: \d+ error/).waitFor({ state: 'visible', timeout: 30_000 });
    const cell = page.locator('.view-lines .view-line span', { hasText: 'ids/0001.front.jpg' }).last();
    await cell.hover();
    const hover = page.locator('.monaco-hover .hover-contents').first();
    await hover.waitFor({ state: 'visible', timeout: 15_000 });
    const img = hover.locator('img');
    await img.waitFor({ state: 'attached', timeout: 10_000 });
    const loaded = await img.evaluate(async (el) => {
      const image = el as unknown as ImageElement;
      await image.decode().catch(() => undefined);
      return { src: image.src, natural: [image.naturalWidth, image.naturalHeight], shown: [image.width, image.height] };
    });
    assert.deepEqual(loaded.natural, [320, 200], 'the image loaded');
    assert.deepEqual(loaded.shown, [240, 150], 'at most 240 px wide');
    assert.match(loaded.src, /\/vscode-remote-resource\?path=/, 'the workbench rewrote the file: URI to one it can load');
    assert.match(await hover.innerText(), /320\s×\s200\spx\s·\s[\d.]+\skB\s·\sJPEG/);
    await docShot(page, 'image-hover');
    await page.keyboard.press('Escape');
  });

  it('Preview Batch opens beside the editor: rows with thumbnails, a filter to rows with problems, a click reveals the row', async () => {
    const { page } = wb;
    await runCommand(page, 'Jumio Batch: Preview Batch');
    const view = previewFrame(page);
    const rows = view.locator('.row');
    await rows.first().waitFor({ state: 'visible', timeout: 30_000 });
    await view.locator('#summary', { hasText: '12 rows' }).waitFor({ state: 'visible' });
    assert.match(await view.locator('#summary').innerText(), /12 rows · 2 with problems/);
    const first = rows.first();
    assert.deepEqual([await first.locator('.num').innerText(), await first.locator('.ref').innerText()], ['1', 'order-0001']);
    // Every image of the rows in view is drawn (the missing faces of rows 5 and 10 say why instead).
    const thumbs = view.locator('.row img:not([hidden])');
    await view.locator('.row', { hasText: 'order-0005' }).locator('.none', { hasText: 'image-missing' }).waitFor({ state: 'visible' });
    const loaded = await thumbs.evaluateAll(async (els) => Promise.all(els.map(async (el) => {
      const image = el as unknown as ImageElement;
      await image.decode().catch(() => undefined);
      return image.naturalWidth;
    })));
    assert.ok(loaded.length >= 3 * 8, `thumbnails drawn: ${loaded.length}`);
    assert.deepEqual(loaded.filter((w) => w === 0), [], 'every thumbnail loaded through its webview URI');
    // The README's picture with the side bar hidden: room for the reference column.
    await runCommand(page, 'View: Toggle Primary Side Bar Visibility');
    await view.locator('.row .ref', { hasText: 'order-0001' }).waitFor({ state: 'visible' });
    await docShot(page, 'preview');
    await runCommand(page, 'View: Toggle Primary Side Bar Visibility');

    await view.locator('#only').check();
    await view.locator('#summary').waitFor({ state: 'visible' });
    await view.locator('.row', { hasText: 'order-0010' }).waitFor({ state: 'visible' });
    assert.deepEqual(await view.locator('.row .num').allInnerTexts(), ['5', '10'], 'only the rows with problems');

    await view.locator('.row', { hasText: 'order-0010' }).click();
    await statusItem(page, /Ln 11, Col 1/).waitFor({ state: 'visible', timeout: 15_000 });
    const active = page.locator('.editor-group-container.active .tabs-container .tab.active');
    assert.match(await active.getAttribute('aria-label') ?? '', /^input\.csv\b/);
  });

  it('the preview follows edits and image changes', async () => {
    const { page } = wb;
    const view = previewFrame(page);
    // The cursor is on row 10 (line 11): a forbidden character in its neighbour, row 11's reference.
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('End');
    await page.keyboard.press('Home');
    for (let i = 0; i < 'order-00'.length + '10015,'.length; i++) await page.keyboard.press('ArrowRight');
    await page.keyboard.type('<');
    await view.locator('.row', { hasText: 'order-00<11' }).waitFor({ state: 'visible', timeout: 20_000 });
    assert.deepEqual(await view.locator('.row .num').allInnerTexts(), ['5', '10', '11'], 'the new problem row joins the filtered list');
    await page.keyboard.press('Control+z');
    await view.locator('.row', { hasText: 'order-00<11' }).waitFor({ state: 'detached', timeout: 20_000 });

    // A new image where row 5's face was missing: drawn, and the row leaves the filtered list.
    const face = path.join(workspace, 'kyc-batch', 'faces', '0005.face.png');
    writeFileSync(face, selfie(150, 200, [90, 90, 90]).png());
    await view.locator('.row', { hasText: 'order-0005' }).waitFor({ state: 'detached', timeout: 20_000 });
    await view.locator('#only').uncheck();
    const img = view.locator('.row', { hasText: 'order-0005' }).locator('img').nth(2);
    await img.waitFor({ state: 'visible', timeout: 20_000 });
    // A changed image is drawn anew: its URI carries a change count that the webview's cache has not seen.
    writeFileSync(face, selfie(150, 200, [200, 40, 40]).png());
    await view.locator('.row', { hasText: 'order-0005' }).locator('img[src$="0005.face.png?v=2"]').waitFor({ state: 'attached', timeout: 20_000 });
    const natural = await view.locator('.row', { hasText: 'order-0005' }).locator('img').nth(2).evaluate(async (el) => {
      const image = el as unknown as ImageElement;
      await image.decode().catch(() => undefined);
      return image.naturalWidth;
    });
    assert.equal(natural, 150);
  });

  it('lists the walkthrough among the walkthroughs, and opens it on its steps', async () => {
    const { page } = wb;
    await runCommand(page, 'View: Close All Editors');
    await runCommand(page, 'Welcome: Open Walkthrough...');
    const pick = page.locator('.quick-input-list .monaco-list-row', { hasText: 'Get Started with Jumio Batch' });
    await pick.waitFor({ state: 'visible', timeout: 15_000 });
    await pick.click();
    const editor = page.locator('.gettingStartedContainer');
    await editor.locator('.getting-started-step', { hasText: 'Connect to your Jumio tenant' }).waitFor({ state: 'visible', timeout: 30_000 });
    const steps = await editor.locator('.getting-started-step .step-title').allInnerTexts();
    assert.deepEqual(steps.map((t) => t.trim()).filter((t) => t !== ''), ['Connect to your Jumio tenant', 'Open or create a batch folder', 'See the images of every row', 'Rehearse against the local sandbox', 'Upload, and read the receipt']);
    await docShot(page, 'walkthrough');
    // A step completes on its event: its button runs Preview Batch, which completes it.
    const previewStep = editor.locator('.getting-started-step', { hasText: 'See the images of every row' });
    const checked = previewStep.locator('.codicon-getting-started-step-checked');
    assert.equal(await checked.count(), 0);
    await previewStep.click();
    await previewStep.getByRole('button', { name: 'Preview Batch' }).click();
    await checked.waitFor({ state: 'attached', timeout: 15_000 });
  });
});
