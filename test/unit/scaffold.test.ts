import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { lintBatchPath } from '../../src/node/batch/lintPath';
import { ScaffoldError, scaffoldBatchFolder } from '../../src/node/batch/scaffold';
import { makePng } from '../helpers/images';
import { codes } from '../helpers/lint';

const HEADER = 'workflowDefinitionKey,customerInternalReference,frontImage,backImage,faceImage,'
  + 'userConsentUserIp,userConsentUserLocationCountry,userConsentUserLocationState,userConsentConsentObtained,userConsentConsentObtainedAt';

describe('scaffoldBatchFolder', () => {
  let root: string;
  beforeEach(() => { root = mkdtempSync(path.join(os.tmpdir(), 'jb-new-')); });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('creates <parent>/batch with a header-only input.csv (LF, no BOM) and STEPS.md', async () => {
    const r = await scaffoldBatchFolder(root);
    assert.equal(r.folder, path.join(root, 'batch'));
    assert.equal(r.csvPath, path.join(root, 'batch', 'input.csv'));
    assert.deepEqual(readFileSync(r.csvPath), Buffer.from(`${HEADER}\n`));
    assert.deepEqual(readdirSync(r.folder).sort(), ['STEPS.md', 'input.csv']);
    const steps = readFileSync(path.join(r.folder, 'STEPS.md'), 'utf8');
    for (const said of ['one row per transaction', 'relative to it', 'jumio-batch upload', 'Upload Batch…', 'UUID', 'DONE']) assert.ok(steps.includes(said), said);
  });

  it('makes a folder that lints with nothing but no-rows (STEPS.md is not flagged)', async () => {
    const r = await scaffoldBatchFolder(root);
    assert.deepEqual(codes((await lintBatchPath(r.folder)).problems), ['no-rows']);
  });

  it('makes a folder that lints clean once a row and its images are added', async () => {
    const r = await scaffoldBatchFolder(root);
    mkdirSync(path.join(r.folder, 'ids'));
    for (const f of ['ids/1.front.png', 'ids/1.back.png', 'face.png']) writeFileSync(path.join(r.folder, f), makePng(2, 2));
    writeFileSync(r.csvPath, `${readFileSync(r.csvPath, 'utf8')}10015,ref-1,ids/1.front.png,ids/1.back.png,face.png,203.0.113.7,USA,IL,yes,2022-07-20T17:20:35.000Z\n`);
    assert.deepEqual(codes((await lintBatchPath(r.folder)).problems), []);
  });

  it('numbers the name when it is taken: batch-2, batch-3, and so for a given name', async () => {
    const made = [];
    for (let i = 0; i < 3; i++) made.push(path.basename((await scaffoldBatchFolder(root)).folder));
    made.push(path.basename((await scaffoldBatchFolder(root, 'march')).folder));
    made.push(path.basename((await scaffoldBatchFolder(root, 'march')).folder));
    assert.deepEqual(made, ['batch', 'batch-2', 'batch-3', 'march', 'march-2']);
  });

  it('refuses a name that is not one folder name, creating nothing', async () => {
    for (const name of ['', '.', '..', 'a/b', '../up', 'a\\b']) {
      await assert.rejects(scaffoldBatchFolder(root, name), ScaffoldError, JSON.stringify(name));
    }
    assert.deepEqual(readdirSync(root), []);
  });

  it('refuses a parent folder that does not exist', async () => {
    await assert.rejects(scaffoldBatchFolder(path.join(root, 'missing')), (e: Error) => e instanceof ScaffoldError && e.message.includes(path.join(root, 'missing')));
    assert.deepEqual(readdirSync(root), []);
  });
});
