import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { ROOT, makeBatch, runCli } from '../helpers/batch';
import { rmSync, unlinkSync } from 'node:fs';

describe('npm start: jumio-batch rehearse', function () {
  this.timeout(60_000);

  it('lints examples/batch, uploads it to a throw-away sandbox and shows COMPLETED', async () => {
    const run = await runCli(['rehearse', 'examples/batch']);
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /0 errors, 0 warnings, 0 infos/);
    assert.match(run.stdout, /Verdict: batch [0-9a-f-]{36}: COMPLETED - 2 rows/);
  });

  it('stops after the lint, sending nothing, when an image is missing', async () => {
    const batch = makeBatch(2);
    try {
      unlinkSync(path.join(batch, 'img', '1.face.png'));
      const run = await runCli(['rehearse', batch]);
      assert.equal(run.status, 1);
      assert.match(run.stdout, /error image-missing/);
      assert.doesNotMatch(run.stdout, /Sandbox intake/);
    } finally {
      rmSync(batch, { recursive: true, force: true });
    }
  });

  it('is what the README quick start and npm start run', () => {
    const pkg = require(path.join(ROOT, 'package.json')) as { scripts: Record<string, string> };
    assert.match(pkg.scripts.start, /dist\/cli\.js rehearse examples\/batch$/);
  });
});
