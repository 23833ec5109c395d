// One esbuild script for every bundle: the CLI now, the extension entry later.
import { build } from 'esbuild';
import { chmodSync, readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url)));

await build({
  entryPoints: { cli: 'src/cli/main.ts' },
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  legalComments: 'none',
  define: { 'process.env.JUMIO_BATCH_VERSION': JSON.stringify(pkg.version) },
  banner: { js: '#!/usr/bin/env node' },
  logLevel: 'warning',
});

// npm sets the bin's mode when the package is installed; a clone runs `node dist/cli.js` or
// `./dist/cli.js`, so the bundle is made executable here too.
chmodSync('dist/cli.js', 0o755);
