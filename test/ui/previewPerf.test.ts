// The preview on 10,000 rows in a real workbench: time to first paint and scrolling, each beside
// a baseline measured the same way in the same window: the preview of a 2-row batch, and the
// text editor (VS Code's own virtualised view) on the same 10,000-row input.csv.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { Frame, Page } from 'playwright-core';
import { writePicturedBatch } from '../helpers/picturedBatch';
import { openFromExplorer, openWorkbench, runCommand, shot, statusItem, type Workbench } from '../helpers/workbench';

// The page's globals, as the callbacks evaluated in the browser use them (the tests have no DOM types).
interface PageElement { textContent: string | null; complete?: boolean; naturalWidth?: number; querySelector(s: string): PageElement | null }
declare const document: { getElementById(id: string): PageElement | null; querySelector(s: string): PageElement | null; querySelectorAll(s: string): ArrayLike<PageElement> };
declare const window: unknown;
declare function requestAnimationFrame(callback: (time: number) => void): number;

/** The preview's content frame, once it has its list. */
async function previewFrame(page: Page, title: string): Promise<Frame> {
  for (const deadline = Date.now() + 60_000; Date.now() < deadline; await page.waitForTimeout(20)) {
    for (const f of page.frames()) {
      const ok = await f.evaluate((t) => document.getElementById('title')?.textContent === t && document.querySelector('.row') !== null, title).catch(() => false);
      if (ok) return f;
    }
  }
  throw new Error(`no preview of ${title} painted its rows`);
}

/** Milliseconds from running Preview Batch to its first rows on screen. */
async function firstPaint(page: Page, title: string): Promise<{ ms: number; frame: Frame }> {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.fill('>Jumio Batch: Preview Batch');
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: 'Jumio Batch: Preview Batch' }).first();
  await row.waitFor({ state: 'visible' });
  const started = Date.now();
  await page.keyboard.press('Enter');
  const frame = await previewFrame(page, title);
  return { ms: Date.now() - started, frame };
}

interface ScrollStats { frames: number; p50: number; p95: number; max: number; over50: number; maxRows: number; longTasks: number }

/**
 * Wheel-scrolls the element under (x, y) by `steps` × `delta` px, one step per 16 ms, while the
 * frame that draws it records every animation frame; answers the frame intervals' statistics and
 * how many `.row` elements were in the page at most, and the frame's long tasks (script over 50 ms).
 */
async function scrollStats(page: Page, frame: Frame, x: number, y: number, steps: number, delta: number): Promise<ScrollStats> {
  await frame.evaluate(() => {
    const w = window as unknown as { frames_: number[]; rows_: number; recording_: boolean };
    w.frames_ = [];
    w.rows_ = 0;
    w.recording_ = true;
    const tick = (t: number) => {
      w.frames_.push(t);
      w.rows_ = Math.max(w.rows_, document.querySelectorAll('.row').length);
      if (w.recording_) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
    (w as unknown as { long_: number[] }).long_ = [];
    new (globalThis as unknown as { PerformanceObserver: new (cb: (l: { getEntries(): { duration: number }[] }) => void) => { observe(o: object): void } }).PerformanceObserver((l) => {
      for (const e of l.getEntries()) (w as unknown as { long_: number[] }).long_.push(e.duration);
    }).observe({ type: 'longtask', buffered: false });
  });
  await page.mouse.move(x, y);
  for (let i = 0; i < steps; i++) {
    await page.mouse.wheel(0, delta);
    await page.waitForTimeout(16);
  }
  await page.waitForTimeout(200);
  const { times, rows, long } = await frame.evaluate(() => {
    const w = window as unknown as { frames_: number[]; rows_: number; recording_: boolean };
    w.recording_ = false;
    return { times: w.frames_, rows: w.rows_, long: (w as unknown as { long_: number[] }).long_ };
  });
  const gaps = times.slice(1).map((t, i) => t - times[i]).sort((a, b) => a - b);
  const at = (q: number) => gaps[Math.min(gaps.length - 1, Math.floor(q * gaps.length))];
  return { frames: gaps.length, p50: at(0.5), p95: at(0.95), max: gaps[gaps.length - 1], over50: gaps.filter((g) => g > 50).length, maxRows: rows, longTasks: long.length };
}

function format(s: ScrollStats): string {
  return `${s.frames} frames, interval p50 ${s.p50.toFixed(1)} ms, p95 ${s.p95.toFixed(1)} ms, max ${s.max.toFixed(0)} ms, ${s.over50} over 50 ms; ${s.longTasks} script tasks over 50 ms in its frame`;
}

describe('the batch preview on 10,000 rows in a real workbench', function () {
  this.timeout(600_000);
  let workspace: string;
  let wb: Workbench;

  before(async () => {
    workspace = mkdtempSync(path.join(tmpdir(), 'jumio-ui-perf-'));
    for (const [name, rows] of [['big-batch', 10_000], ['small-batch', 2]] as const) {
      mkdirSync(path.join(workspace, name));
      writePicturedBatch(path.join(workspace, name), rows, 50);
    }
    wb = await openWorkbench({ workspace });
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && wb) await shot(wb.page, 'failed-preview-10000');
  });

  after(async () => {
    await wb?.stop();
    if (workspace) rmSync(workspace, { recursive: true, force: true });
  });

  it('paints its first rows about as soon as for 2 rows, and scrolls as smoothly as the text editor', async () => {
    const { page } = wb;
    await openFromExplorer(page, 'small-batch');
    await statusItem(page, /Batch: 2 rows, ready/).waitFor({ state: 'visible', timeout: 60_000 });
    // The first webview of a window starts VS Code's webview machinery (its service worker): a
    // warm-up, then the 2-row preview that is compared.
    await firstPaint(page, 'small-batch/input.csv');
    await runCommand(page, 'View: Close All Editors');
    await page.locator('.explorer-folders-view').getByRole('treeitem', { name: 'input.csv', exact: true }).click();
    await page.locator('.breadcrumbs-control .monaco-breadcrumb-item', { hasText: 'small-batch' }).first().waitFor({ state: 'visible' });
    const small = await firstPaint(page, 'small-batch/input.csv');
    await runCommand(page, 'View: Close All Editors');

    // The text editor's first paint of the same file is the baseline: a click in the Explorer, then its first line on screen.
    const explorer = page.locator('.explorer-folders-view');
    await explorer.getByRole('treeitem', { name: 'small-batch', exact: true }).click(); // collapses it
    await explorer.getByRole('treeitem', { name: 'big-batch', exact: true }).click();
    const csv = explorer.getByRole('treeitem', { name: 'input.csv', exact: true });
    await csv.waitFor({ state: 'visible' });
    let started = Date.now();
    await csv.click();
    await page.locator('.breadcrumbs-control .monaco-breadcrumb-item', { hasText: 'big-batch' }).first().waitFor({ state: 'visible', timeout: 60_000 });
    await page.locator('.view-lines .view-line', { hasText: 'order-0001' }).first().waitFor({ state: 'visible', timeout: 60_000 });
    const editorMs = Date.now() - started;
    await statusItem(page, /Batch: 200 errors/).waitFor({ state: 'visible', timeout: 120_000 });

    const big = await firstPaint(page, 'big-batch/input.csv');
    started = Date.now();
    await big.frame.waitForFunction(() => Array.from(document.querySelectorAll('.row img')).every((i) => i.complete && (i.naturalWidth ?? 0) > 0), undefined, { timeout: 60_000 });
    const thumbsMs = big.ms + Date.now() - started;
    const rowsInPage = await big.frame.evaluate(() => document.querySelectorAll('.row').length);
    await shot(page, 'preview-10000');

    const box = await page.locator('iframe.webview.ready').boundingBox();
    assert.ok(box);
    const preview = await scrollStats(page, big.frame, box.x + box.width / 2, box.y + box.height / 2, 120, 400);
    const scrolledTo = await big.frame.evaluate(() => Number(document.querySelector('.row')?.querySelector('.num')?.textContent));
    const editorBox = await page.locator('.editor-group-container .monaco-editor .view-lines').first().boundingBox();
    assert.ok(editorBox);
    const editor = await scrollStats(page, page.mainFrame(), editorBox.x + editorBox.width / 2, editorBox.y + editorBox.height / 2, 120, 400);

    // The extension's own account of each first paint, from its log (counts and times only).
    const runDir = (wb.server as unknown as { runDir: string }).runDir;
    const log = execFileSync('sh', ['-c', `find ${runDir} -name '*Jumio Batch.log' -print0 | xargs -0 -r cat`]).toString();
    for (const line of log.split('\n').filter((l) => l.includes('preview: first paint'))) console.log(`      extension: ${line.replace(/^.*preview: /, '')}`);
    console.log(`      first paint: preview of 10,000 rows ${big.ms} ms (its thumbnails in view ${thumbsMs} ms) vs preview of 2 rows ${small.ms} ms; the text editor opening the same 10,000 rows ${editorMs} ms`);
    console.log(`      rows in the page: ${rowsInPage} at first, at most ${preview.maxRows} while scrolling 48,000 px (to row ${scrolledTo})`);
    console.log(`      scrolling the preview: ${format(preview)}`);
    console.log(`      scrolling the text editor, same wheel steps: ${format(editor)}`);
    assert.ok(rowsInPage < 40 && preview.maxRows < 40, 'only the rows in view (and a few more) are in the page');
    assert.ok(scrolledTo > 500, `the wheel scrolled the list (first row drawn: ${scrolledTo})`);
    assert.ok(big.ms < 15_000, `first paint ${big.ms} ms`);
  });
});
