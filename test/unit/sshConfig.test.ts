import * as assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { defaultSshConfigPath, resolveSshHost } from '../../src/node/ssh/sshConfig';

let dir: string;
let count = 0;
const home = os.homedir();
const me = os.userInfo().username;

function config(text: string): string {
  const file = path.join(dir, `config-${++count}`);
  writeFileSync(file, text);
  return file;
}

describe('ssh config', () => {
  before(() => { dir = mkdtempSync(path.join(os.tmpdir(), 'jumio-sshconfig-')); });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const SAMPLE = [
    'Host prod-eu',
    '  Port 2200',
    '',
    'Host prod-* staging',
    '  HostName %h.sftp.example',
    '  Port 2222',
    '  User uploader',
    '  IdentityFile ~/.ssh/jumio_%r@%h',
    '  IdentityFile "%d/keys/%u %% backup"',
    '',
    'Host *',
    '  user fallback',
    '  identityfile ~/.ssh/id_ed25519',
  ].join('\n');

  describe('resolveSshHost', () => {
    it('uses the defaults when the config file does not exist', () => {
      assert.deepEqual(resolveSshHost('sftp.example', { configPath: path.join(dir, 'absent') }),
        { alias: 'sftp.example', hostName: 'sftp.example', port: 22, user: me, identityFiles: [] });
    });

    it('applies a wildcard Host block: HostName with %h, Port, User, IdentityFile with ~ and tokens', () => {
      const resolved = resolveSshHost('prod-us', { configPath: config(SAMPLE) });
      assert.deepEqual(resolved, {
        alias: 'prod-us',
        hostName: 'prod-us.sftp.example',
        port: 2222,
        user: 'uploader',
        identityFiles: [
          path.join(home, '.ssh/jumio_uploader@prod-us.sftp.example'),
          `${home}/keys/${me} % backup`,
          path.join(home, '.ssh/id_ed25519'),
        ],
      });
    });

    it('lets the first value win, as ssh does: an earlier specific block beats a later wildcard', () => {
      const resolved = resolveSshHost('prod-eu', { configPath: config(SAMPLE) });
      assert.equal(resolved.port, 2200);
      assert.equal(resolved.user, 'uploader');
      assert.equal(resolved.hostName, 'prod-eu.sftp.example');
    });

    it('honours a !negated pattern in a Host line', () => {
      const file = config('Host *.example !bad.example\n  Port 2022\n');
      assert.equal(resolveSshHost('good.example', { configPath: file }).port, 2022);
      assert.equal(resolveSshHost('bad.example', { configPath: file }).port, 22);
    });

    it('lets explicit options win over the config, and the explicit user feed %r', () => {
      const resolved = resolveSshHost('prod-us', { configPath: config(SAMPLE), port: 2024, user: 'ops' });
      assert.equal(resolved.port, 2024);
      assert.equal(resolved.user, 'ops');
      assert.equal(resolved.identityFiles[0], path.join(home, '.ssh/jumio_ops@prod-us.sftp.example'));
    });

    it('uses only an explicit identity, with ~ expanded', () => {
      const resolved = resolveSshHost('prod-us', { configPath: config(SAMPLE), identity: '~/keys/batch_key' });
      assert.deepEqual(resolved.identityFiles, [path.join(home, 'keys/batch_key')]);
    });

    it('drops IdentityFile none', () => {
      assert.deepEqual(resolveSshHost('h', { configPath: config('Host h\n  IdentityFile none\n') }).identityFiles, []);
    });

    it('never runs Match exec commands', () => {
      const marker = path.join(dir, 'exec-ran');
      const file = config(`Match exec "touch ${marker}"\n  Port 2022\n`);
      assert.equal(resolveSshHost('h', { configPath: file }).port, 22);
      assert.equal(existsSync(marker), false);
    });

    for (const [what, text, pattern] of [
      ['an unterminated quote', 'Host "prod\n  Port 2\n', /^Cannot parse SSH config /],
      ['a Port that is not a number', 'Host h\n  Port ssh\n', /Port "ssh" for host h is not a TCP port/],
      ['a keyword without a value', 'Host h\n  Port\n', /^Cannot parse SSH config .*: Port has no value\.$/],
      ['an unsupported % token', 'Host h\n  IdentityFile ~/.ssh/%C\n', /uses %C, which is not supported/],
    ] as const) {
      it(`throws a one-line Error naming the file for ${what}`, () => {
        const file = config(text);
        assert.throws(() => resolveSshHost('h', { configPath: file }), (err: Error) =>
          err.constructor === Error && pattern.test(err.message) && err.message.includes(file) && !err.message.includes('\n'));
      });
    }

    it('throws a one-line Error naming a config path that cannot be read', () => {
      assert.throws(() => resolveSshHost('h', { configPath: dir }),
        (err: Error) => err.message.startsWith(`Cannot read SSH config ${dir}: `) && !err.message.includes('\n'));
    });

    it('refuses an explicit port outside 1-65535', () => {
      assert.throws(() => resolveSshHost('h', { configPath: path.join(dir, 'absent'), port: 70000 }), /not a TCP port/);
    });
  });

  describe('defaultSshConfigPath', () => {
    it("is the user's ~/.ssh/config", () => {
      assert.equal(defaultSshConfigPath(), path.join(home, '.ssh', 'config'));
    });
  });
});
