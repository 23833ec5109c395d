// The editor's second generation in a real workbench: the image hover, the batch preview and the
// walkthrough. Screenshots go to out/screenshots/; with JUMIO_UPDATE_DOCS=1 the README's copies
// in docs/ are replaced too.
import * as assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { PicturedBatch, writePicturedBatch } from '../helpers/picturedBatch';
import { SCREENSHOTS, openFromExplorer, openWorkbench, ROOT, shot, statusItem, type Workbench } from '../helpers/workbench';

/** A screenshot that the README shows: out/screenshots, and docs/ when asked to update it. */
async function docShot(page: Page, name: string): Promise<void> {
  await shot(page, name);
  if (process.env.JUMIO_UPDATE_DOCS === '1') copyFileSync(path.join(SCREENSHOTS, `${name}.png`), path.join(ROOT, 'docs', `${name}.png`));
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
    console.log(JSON.stringify(loaded), await hover.innerText());
    assert.deepEqual(loaded.natural, [320, 200], 'the image loaded');
    assert.match(await hover.innerText(), /320\s×\s200\spx\s·\s[\d.]+\skB\s·\sJPEG/);
    await docShot(page, 'image-hover');
  });
});
