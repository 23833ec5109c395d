// One esbuild script for every bundle: the CLI, the VS Code extension and the preview's webview script.
import { build } from 'esbuild';
import { chmodSync, readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url)));

/** What every bundle shares: CommonJS for Node 20, into dist/. */
const common = {
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  legalComments: 'none',
  define: { 'process.env.JUMIO_BATCH_VERSION': JSON.stringify(pkg.version) },
  logLevel: 'warning',
};

await build({
  ...common,
  entryPoints: { cli: 'src/cli/main.ts' },
  // ssh2 stays outside the CLI bundle so that its native crypto add-on (built at npm install)
  // loads: ~1.4x faster uploads than ssh2's pure-JS fallback. The extension bundle below
  // includes ssh2 and leaves its optional .node add-ons out.
  external: ['ssh2', 'ssh2-sftp-client', 'cpu-features'],
  banner: { js: '#!/usr/bin/env node' },
});

// npm sets the bin's mode when the package is installed; a clone runs `node dist/cli.js` or
// `./dist/cli.js`, so the bundle is made executable here too.
chmodSync('dist/cli.js', 0o755);

// The extension: self-contained files (a .vsix carries no node_modules). ssh2's optional
// native add-ons (its crypto binding and cpu-features) are compiled per Node ABI, and the
// extension host's Node differs from the one npm built them for, so they stay out: ssh2 catches
// their absence and uses its JavaScript and Node crypto paths. The lint worker is a second file
// beside the extension: a worker thread is started from a file.
await build({
  ...common,
  entryPoints: { extension: 'src/extension/extension.ts', lintWorker: 'src/node/worker/lintWorker.ts' },
  minify: process.env.JUMIO_BATCH_MINIFY === '1',
  external: ['vscode', 'cpu-features', '*.node'],
});

// The batch preview's webview script: a browser bundle (it runs in the webview's frame, not in
// Node), built from src/webview and the pure parts of src/core it imports.
await build({
  ...common,
  entryPoints: { preview: 'src/webview/preview.ts' },
  platform: 'browser',
  target: 'es2022',
  format: 'iife',
  minify: process.env.JUMIO_BATCH_MINIFY === '1',
});
