// `npm run package`: the .vsix, offline. The extension is one esbuild bundle (minified here), so
// the package carries no node_modules (--no-dependencies); .vscodeignore keeps sources out.
// Prints the path of the .vsix on its last line; JUMIO_BATCH_VSIX sets where it goes.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit', env: { ...process.env, JUMIO_BATCH_MINIFY: '1' } });
mkdirSync('out/vsix', { recursive: true });
const out = process.env.JUMIO_BATCH_VSIX || join('out/vsix', `${pkg.name}-${pkg.version}.vsix`);
execFileSync(process.execPath, ['node_modules/@vscode/vsce/vsce', 'package', '--no-dependencies', '--out', out], { stdio: 'inherit' });
// dist/ goes back to the development build that tests and the CLI use (readable stack traces).
execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
console.log(`${out} (${(statSync(out).size / 1024).toFixed(0)} KiB)`);
