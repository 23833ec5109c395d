// Starts and stops a real VS Code server (code-server from npm, on Node 24) on 127.0.0.1 for
// extension-host and UI tests, offline. The verified recipe and the reason for every flag are in
// /work/shared/notes/real-vscode-offline.md.
import { spawn, execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { findRuntime } from './runtime.mjs';

/** User settings every test run starts from: nothing phones home, nothing pops up. */
export const QUIET_SETTINGS = {
  'telemetry.telemetryLevel': 'off',
  'telemetry.feedback.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.settings.enableNaturalLanguageSearch': false,
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'update.mode': 'none',
  'update.showReleaseNotes': false,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'npm.fetchOnlinePackageInfo': false,
  'git.enabled': false,
  'chat.disableAIFeatures': true,
  'chat.commandCenter.enabled': false,
  'chat.setupFromDialog': false,
  'window.commandCenter': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden', // else an empty chat side bar takes a third of the screen
  'security.workspace.trust.enabled': true,
  'security.workspace.trust.startupPrompt': 'never',
  'security.workspace.trust.untrustedFiles': 'open',
};

const HEALTH_TIMEOUT_MS = 30_000;
// code-server answers SIGTERM by waiting for its clients to reconnect (seconds); a throwaway
// test server has nothing to save, so it gets little time before SIGKILL.
const STOP_GRACE_MS = 500;

/** A port nobody listens on at this moment, on 127.0.0.1. */
export function freePort() {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolvePort(port));
    });
  });
}

/** The environment code-server runs with: ours, minus any VS Code that launched us. */
function serverEnv(runDir) {
  const env = {};
  for (const [k, v] of Object.entries(process.env)) {
    // A terminal inside VS Code sets these; they would make code-server talk to that editor.
    if (k.startsWith('VSCODE_') || k.startsWith('ELECTRON_')) continue;
    env[k] = v;
  }
  return {
    ...env,
    EXTENSIONS_GALLERY: '{}', // else it queries a marketplace it cannot reach
    XDG_CONFIG_HOME: join(runDir, 'xdg-config'), // else it writes a password file under ~/.config
    XDG_DATA_HOME: join(runDir, 'xdg-data'),
    XDG_CACHE_HOME: join(runDir, 'xdg-cache'),
  };
}

function groupAlive(pgid) {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (e) {
    return e.code === 'EPERM';
  }
}

function killGroup(pgid, signal) {
  try {
    process.kill(-pgid, signal);
  } catch {
    // already gone
  }
}

/**
 * Kills code-server's whole process group (killing only its pid leaves an agent-host child
 * running) and resolves once no process of the group is left.
 */
async function stopGroup(pgid) {
  killGroup(pgid, 'SIGTERM');
  const deadline = Date.now() + STOP_GRACE_MS;
  while (groupAlive(pgid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  if (!groupAlive(pgid)) return;
  killGroup(pgid, 'SIGKILL');
  while (groupAlive(pgid)) await new Promise((r) => setTimeout(r, 20));
}

async function waitHealthy(port, child, log) {
  const deadline = Date.now() + HEALTH_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`code-server exited (${child.exitCode ?? child.signalCode}) before it was ready:\n${log()}`);
    }
    try {
      const res = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(1000) });
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`code-server did not answer /healthz within ${HEALTH_TIMEOUT_MS} ms:\n${log()}`);
}

/**
 * Starts code-server for one test run in a fresh temporary run folder.
 * @param {object} o
 * @param {string} o.workspace folder the tests open (only used for `url()`'s default)
 * @param {boolean} [o.trusted=true] false: workspace trust stays on and the folder opens in Restricted Mode
 * @param {Record<string, unknown>} [o.userSettings] merged over QUIET_SETTINGS
 * @param {string} [o.extensionsDir] installed extensions (e.g. from a .vsix); default: an empty folder in the run folder
 * @param {string[]} [o.serverArgs] further code-server flags
 * @param {(chunk: string) => void} [o.onOutput] receives code-server's own stdout/stderr
 * @returns {Promise<{ port: number, origin: string, runDir: string, url: (folder?: string, payload?: [string, string][]) => string, log: () => string, stop: () => Promise<void> }>}
 */
export async function startCodeServer({ workspace, trusted = true, userSettings = {}, machineSettings, extensionsDir, serverArgs = [], onOutput } = {}) {
  const runtime = findRuntime();
  const runDir = mkdtempSync(join(tmpdir(), 'jumio-vscode-'));
  const userDataDir = join(runDir, 'user');
  const extDir = extensionsDir ? resolve(extensionsDir) : join(runDir, 'ext');
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  mkdirSync(extDir, { recursive: true });
  const settings = { ...QUIET_SETTINGS, ...userSettings };
  if (!trusted) {
    // Restricted Mode needs trust on and no prompt that would let the folder be trusted.
    settings['security.workspace.trust.enabled'] = true;
    settings['security.workspace.trust.startupPrompt'] = 'never';
  }
  writeFileSync(join(userDataDir, 'User', 'settings.json'), JSON.stringify(settings, null, 2));
  // code-server's extension host is a remote one: machine-scoped settings come from the server's
  // Machine settings, not the User file (as in any remote window).
  if (machineSettings) {
    mkdirSync(join(userDataDir, 'Machine'), { recursive: true });
    writeFileSync(join(userDataDir, 'Machine', 'settings.json'), JSON.stringify(machineSettings, null, 2));
  }

  const port = await freePort();
  const args = [
    runtime.codeServerEntry,
    '--bind-addr', `127.0.0.1:${port}`,
    '--auth', 'none',
    '--disable-telemetry',
    '--disable-update-check',
    ...(trusted ? ['--disable-workspace-trust'] : []),
    '--disable-getting-started-override',
    '--ignore-last-opened',
    '--user-data-dir', userDataDir,
    '--extensions-dir', extDir,
    '--reconnection-grace-time', '5',
    // Without it the workbench ignores the extensionTestsPath payload and the run hangs.
    '--vscode-option', 'enable-smoke-test-driver',
    ...serverArgs,
  ];
  // detached: its own process group (setsid), so stop() can kill every child it forks.
  const child = spawn(runtime.node, args, { cwd: runDir, env: serverEnv(runDir), detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const pgid = child.pid;
  let output = '';
  const collect = (d) => {
    const s = d.toString();
    output = (output + s).slice(-64_000);
    onOutput?.(s);
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  // If this process dies without calling stop(), take the server with it.
  const killOnExit = () => killGroup(pgid, 'SIGKILL');
  process.on('exit', killOnExit);

  let stopped;
  const stop = () => {
    stopped ??= (async () => {
      await stopGroup(pgid);
      process.off('exit', killOnExit);
      child.stdout.destroy();
      child.stderr.destroy();
      rmSync(runDir, { recursive: true, force: true, maxRetries: 3 });
    })();
    return stopped;
  };

  try {
    await waitHealthy(port, child, () => output);
  } catch (e) {
    await stop();
    throw e;
  }

  const origin = `http://127.0.0.1:${port}`;
  return {
    port,
    origin,
    runDir,
    /**
     * The workbench URL for `folder` (absolute; default: the workspace), with an optional
     * payload such as [["extensionDevelopmentPath", remoteUri(...)], ["skipWelcome", "true"]].
     */
    url(folder = workspace, payload) {
      const q = new URLSearchParams();
      if (folder) q.set('folder', resolve(folder));
      if (payload) q.set('payload', JSON.stringify(payload));
      return `${origin}/?${q.toString()}`;
    },
    /** A path on this machine as the workbench's remote URI (for payload entries). */
    remoteUri(path) {
      return `vscode-remote://127.0.0.1:${port}${resolve(path)}`;
    },
    log: () => output,
    stop,
  };
}

/**
 * Installs a .vsix into `extensionsDir` the way a user would (`code-server --install-extension`),
 * for tests of the packaged extension.
 */
export async function installVsix(vsix, extensionsDir) {
  const runtime = findRuntime();
  const runDir = mkdtempSync(join(tmpdir(), 'jumio-vscode-install-'));
  try {
    mkdirSync(extensionsDir, { recursive: true });
    await promisify(execFile)(runtime.node, [
      runtime.codeServerEntry, '--user-data-dir', join(runDir, 'user'), '--extensions-dir', resolve(extensionsDir),
      '--install-extension', resolve(vsix), '--force',
    ], { env: serverEnv(runDir), timeout: 120_000 });
  } finally {
    rmSync(runDir, { recursive: true, force: true });
  }
}
