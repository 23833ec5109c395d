import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { RULE_CODES, ruleUrl } from '../../src/core';
import { ROOT, makeBatch, runCli } from '../helpers/batch';
import { SEED_HEADER, seedRow } from '../helpers/lint';

// `lint --format sarif` and `--format github`, run as a process: the same problems and exit code
// as `--format json`, read back from each format.

interface JsonProblem { code: string; severity: string; line: number; column: number; endLine: number; endColumn: number; message: string }
interface JsonDoc { files: { path: string; rows: number; problems: JsonProblem[] }[]; errors: number; warnings: number; infos: number }

/** A problem with the file it is in, as every format can say it. */
type Located = JsonProblem & { file: string };

function fromJson(doc: JsonDoc): Located[] {
  return doc.files.flatMap((f) => f.problems.map((p) => ({ ...p, file: path.resolve(ROOT, f.path) })));
}

/** The official SARIF 2.1.0 schema, as @microsoft/jest-sarif ships it: draft-04, read here as draft-07 (its `id` as `$id`). */
function sarifValidator(): ReturnType<Ajv['compile']> {
  const schema = JSON.parse(readFileSync(path.join(ROOT, 'node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8'));
  const { id, ...rest } = schema;
  // The schema's language-tag pattern has a stray "]", which only a non-unicode RegExp accepts.
  const ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false });
  addFormats(ajv);
  return ajv.compile({ ...rest, $id: id, $schema: 'http://json-schema.org/draft-07/schema#' });
}

const LEVEL: Record<string, string> = { error: 'error', warning: 'warning', note: 'info' };

/** Workflow-command escapes undone, as the runner reads them. */
function unescape(s: string): string {
  return s.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%3A/g, ':').replace(/%2C/g, ',').replace(/%25/g, '%');
}

const COMMAND = /^::(error|warning|notice) ([^:]*)::(.*)$/;
const SEVERITY: Record<string, string> = { error: 'error', warning: 'warning', notice: 'info' };

describe('lint --format sarif and --format github', function () {
  this.timeout(60_000);
  let tmp: string;
  let paths: string[];
  let json: { status: number | null; doc: JsonDoc };

  before(async () => {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'jb-formats-'));
    // One batch inside the working folder (a relative path), one outside it, whose folder name
    // holds the characters a workflow command's property must escape.
    const odd = makeBatch(2, 64, path.join(tmp, 'odd, name: 100%'));
    writeFileSync(path.join(odd, 'input.csv'), `${SEED_HEADER}\n${seedRow({ customerInternalReference: 'ref%1', backImage: 'img/ids/0.back.png', frontImage: 'img/ids/0.front.png', faceImage: 'img/0.face.png' })}\n`);
    paths = ['examples/broken-batch', odd];
    const r = await runCli(['lint', '--format', 'json', ...paths]);
    json = { status: r.status, doc: JSON.parse(r.stdout) };
    assert.ok(json.doc.errors > 0 && json.doc.warnings > 0 && json.doc.infos > 0, 'errors, warnings and infos to compare');
  });

  after(() => rmSync(tmp, { recursive: true, force: true }));

  it('sarif: a log valid against the official SARIF 2.1.0 schema', async () => {
    const r = await runCli(['lint', '--format', 'sarif', ...paths]);
    assert.equal(r.stderr, '');
    const log = JSON.parse(r.stdout);
    const validate = sarifValidator();
    assert.ok(validate(log), JSON.stringify(validate.errors, null, 1));
    assert.equal(validate({ ...log, version: '2.0.0' }), false, 'the validator does refuse a wrong log');
    assert.equal(log.version, '2.1.0');
    assert.match(log.$schema, /sarif-2\.1\.0/);
    assert.equal(log.runs.length, 1);
  });

  it('sarif: one rule per code, linked to its README section, and the same problems and exit code as json', async () => {
    const r = await runCli(['lint', '--format', 'sarif', ...paths]);
    assert.equal(r.status, json.status);
    assert.equal(r.status, 1);
    const run = JSON.parse(r.stdout).runs[0];
    assert.equal(run.tool.driver.name, 'jumio-batch');
    assert.deepEqual(run.tool.driver.rules.map((rule: { id: string }) => rule.id), RULE_CODES);
    for (const rule of run.tool.driver.rules) assert.equal(rule.helpUri, ruleUrl(rule.id));
    const base = run.originalUriBaseIds['%SRCROOT%'].uri;
    assert.equal(base, pathToFileURL(ROOT).href + '/');
    const results: Located[] = run.results.map((res: any) => { // eslint-disable-line @typescript-eslint/no-explicit-any
      assert.equal(run.tool.driver.rules[res.ruleIndex].id, res.ruleId);
      assert.equal(res.locations.length, 1);
      const { artifactLocation: at, region } = res.locations[0].physicalLocation;
      const file = at.uriBaseId ? fileURLToPath(new URL(at.uri, run.originalUriBaseIds[at.uriBaseId].uri)) : fileURLToPath(at.uri);
      return { code: res.ruleId, severity: LEVEL[res.level], line: region.startLine, column: region.startColumn, endLine: region.endLine, endColumn: region.endColumn, message: res.message.text, file };
    });
    assert.deepEqual(results, fromJson(json.doc));
    assert.ok(run.results.some((res: { locations: { physicalLocation: { artifactLocation: { uriBaseId?: string } } }[] }) => res.locations[0].physicalLocation.artifactLocation.uriBaseId === '%SRCROOT%'), 'a path in the working folder is relative to it');
  });

  it('github: one workflow command per problem, which read back are the json problems; then the summary', async () => {
    const r = await runCli(['lint', '--format', 'github', ...paths]);
    assert.equal(r.status, json.status);
    assert.equal(r.stderr, '');
    const lines = r.stdout.split('\n');
    assert.equal(lines.pop(), '', 'ends with a line break');
    assert.match(lines.pop() as string, /^2 files, \d+ rows: \d+ errors, \d+ warnings, \d+ infos? \(not ready to upload\)$/);
    const read: Located[] = lines.map((l) => {
      const m = COMMAND.exec(l);
      assert.ok(m, `a workflow command: ${l}`);
      const props = Object.fromEntries(m[2].split(',').map((kv) => {
        const eq = kv.indexOf('=');
        return [kv.slice(0, eq), unescape(kv.slice(eq + 1))];
      }));
      assert.deepEqual(Object.keys(props), ['file', 'line', 'col', 'endLine', 'endColumn', 'title']);
      return {
        code: props.title, severity: SEVERITY[m[1]], line: Number(props.line), column: Number(props.col),
        endLine: Number(props.endLine), endColumn: Number(props.endColumn), message: unescape(m[3]), file: path.resolve(ROOT, props.file),
      };
    });
    assert.deepEqual(read, fromJson(json.doc));
    assert.ok(lines.some((l) => l.includes('file=examples/broken-batch/input.csv,')), 'a path in the working folder is relative to it');
    assert.ok(lines.some((l) => l.includes('odd%2C name%3A 100%25')), 'a property escapes , : and %');
    assert.ok(lines.some((l) => /::.*"%25"/.test(l)), 'a message escapes %');
  });

  it('exits 0 in every format for a clean batch, and refuses an unknown format', async () => {
    for (const format of ['sarif', 'github']) {
      const r = await runCli(['lint', '--format', format, 'examples/batch']);
      assert.equal(r.status, 0, r.stderr);
    }
    const clean = JSON.parse((await runCli(['lint', '--format', 'sarif', 'examples/batch'])).stdout);
    assert.deepEqual(clean.runs[0].results, []);
    const bad = await runCli(['lint', '--format', 'xml', 'examples/batch']);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /--format must be text, json, sarif, github; got "xml"/);
  });
});
