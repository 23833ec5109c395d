// The test entry point: runs every suite with mocha and ends with the plain line
// `N passed, N failed` that CI reads (mocha's own "N passing" is not read).
// Usage: node scripts/test.mjs [suite...]   suites: unit (default: all)
import Mocha from 'mocha';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const SUITES = { unit: 'out/test/unit', sftp: 'out/test/sftp' };
const wanted = process.argv.slice(2);
const suites = wanted.length ? wanted : Object.keys(SUITES);

function specs(dir) {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return specs(p);
    return name.endsWith('.test.js') ? [p] : [];
  });
}

const mocha = new Mocha({ reporter: 'spec', timeout: 20000 });
for (const s of suites) {
  if (!SUITES[s]) { console.error(`unknown suite ${s}; known: ${Object.keys(SUITES).join(', ')}`); process.exit(2); }
  for (const f of specs(SUITES[s]).sort()) mocha.addFile(join(process.cwd(), f));
}
await mocha.loadFilesAsync();
const runner = mocha.run();
let passed = 0;
let failed = 0;
runner.on('pass', () => passed++);
runner.on('fail', () => failed++);
runner.on('end', () => {
  console.log(`${passed} passed, ${failed} failed`);
  process.exitCode = failed > 0 || passed === 0 ? 1 : 0;
});
