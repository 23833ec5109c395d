// A real VS Code workbench for UI tests: code-server (scripts/vscode/server.mjs) on 127.0.0.1,
// headless Chromium driven by playwright-core, the folder open and the extension loaded, either
// from this clone as a development extension or installed from a .vsix as a user would.
// Selectors that work against it are listed in /work/shared/notes/real-vscode-offline.md.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';

/** The clone's root, from out/test/helpers/. */
export const ROOT = path.resolve(__dirname, '../../..');

interface CodeServer {
  port: number;
  url(folder?: string, payload?: [string, string][]): string;
  remoteUri(p: string): string;
  log(): string;
  stop(): Promise<void>;
}
interface ServerModule {
  startCodeServer(o: { workspace: string; trusted?: boolean; userSettings?: Record<string, unknown>; machineSettings?: Record<string, unknown>; extensionsDir?: string }): Promise<CodeServer>;
  installVsix(vsix: string, extensionsDir: string): Promise<void>;
}
interface ChromiumModule {
  startServerAndBrowser(start: () => Promise<CodeServer>): Promise<{ server: CodeServer; browser: Browser }>;
}

// The .mjs scripts are shared with the CLI runners and not compiled, so they are imported at
// run time by absolute path (TypeScript keeps this import() in the CommonJS output).
function importScript<T>(name: string): Promise<T> {
  return import(pathToFileURL(path.join(ROOT, 'scripts/vscode', name)).href) as Promise<T>;
}

export interface WorkbenchOptions {
  /** The folder to open (absolute). */
  workspace: string;
  /** false: workspace trust on, the folder opens in Restricted Mode. Default true. */
  trusted?: boolean;
  /** User settings merged over the quiet defaults of server.mjs. */
  userSettings?: Record<string, unknown>;
  /** The server machine's settings: where machine-scoped settings (the SFTP connection) live. */
  machineSettings?: Record<string, unknown>;
  /** Load this folder as a development extension. Default: the clone, unless vsix or extensionsDir is given. */
  extensionDevelopmentPath?: string;
  /** Install this .vsix (as `code-server --install-extension` does) into a fresh extensions folder. */
  vsix?: string;
  /** An extensions folder with extensions already installed. */
  extensionsDir?: string;
  /** How long the workbench may take to load and show its status bar. Default 120 s. */
  timeoutMs?: number;
}

export interface Workbench {
  page: Page;
  browser: Browser;
  server: CodeServer;
  /** Closes the browser and stops the server (every process of it); safe to call twice. */
  stop(): Promise<void>;
}

export async function openWorkbench(o: WorkbenchOptions): Promise<Workbench> {
  const [{ startCodeServer, installVsix }, { startServerAndBrowser }] = await Promise.all([
    importScript<ServerModule>('server.mjs'),
    importScript<ChromiumModule>('chromium.mjs'),
  ]);
  const ownExtensionsDir = o.vsix ? mkdtempSync(path.join(tmpdir(), 'jumio-vsix-')) : undefined;
  const extensionsDir = ownExtensionsDir ?? o.extensionsDir;
  const devPath = o.extensionDevelopmentPath ?? (extensionsDir ? undefined : ROOT);
  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopped ??= (async () => {
      await Promise.all([browser?.close().catch(() => undefined), server?.stop()]);
      if (ownExtensionsDir) rmSync(ownExtensionsDir, { recursive: true, force: true });
    })();
    return stopped;
  };
  try {
    if (o.vsix && ownExtensionsDir) await installVsix(o.vsix, ownExtensionsDir);
    ({ server, browser } = await startServerAndBrowser(() => startCodeServer({
      workspace: o.workspace, trusted: o.trusted ?? true, userSettings: o.userSettings, machineSettings: o.machineSettings, extensionsDir,
    })));
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const payload: [string, string][] = [['skipWelcome', 'true']];
    if (devPath) payload.unshift(['extensionDevelopmentPath', server.remoteUri(devPath)]);
    const timeout = o.timeoutMs ?? 120_000;
    await page.goto(server.url(o.workspace, payload), { timeout });
    await page.locator('.monaco-workbench .part.statusbar').waitFor({ state: 'visible', timeout });
    return { page, browser, server, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

/** Where the UI tests put their screenshots. */
export const SCREENSHOTS = path.join(ROOT, 'out/screenshots');

/** A screenshot of the whole window into out/screenshots/<name>.png. */
export async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`) });
}

/** Expands `folder` in the explorer (collapsing `collapse` first, so one input.csv shows) and opens its input.csv. */
export async function openFromExplorer(page: Page, folder: string, collapse?: string): Promise<void> {
  const explorer = page.locator('.explorer-folders-view');
  if (collapse) {
    const other = explorer.getByRole('treeitem', { name: collapse, exact: true });
    if ((await other.getAttribute('aria-expanded')) === 'true') await other.click();
  }
  const row = explorer.getByRole('treeitem', { name: folder, exact: true });
  await row.click();
  await explorer.locator(`[role=treeitem][aria-expanded="true"][aria-label="${folder}"]`).waitFor({ state: 'visible' });
  const csv = explorer.getByRole('treeitem', { name: 'input.csv', exact: true });
  await csv.waitFor({ state: 'visible' });
  await csv.click();
  await page.locator('.breadcrumbs-control .monaco-breadcrumb-item', { hasText: folder }).first().waitFor({ state: 'visible', timeout: 30_000 });
}

/** The status bar item of ours whose text matches. */
export function statusItem(page: Page, text: RegExp) {
  return page.locator('.part.statusbar .statusbar-item', { hasText: text }).first();
}

/** Runs a command from the command palette (F1) by its title. */
export async function runCommand(page: Page, title: string): Promise<void> {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await input.fill(`>${title}`);
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
  await row.waitFor({ state: 'visible' });
  await row.click();
}
