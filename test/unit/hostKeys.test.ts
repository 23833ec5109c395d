import * as assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  checkHostKey, defaultKnownHostsPath, fingerprintOf, hostKeyType, hostMatches, knownHostsName, parseKnownHosts,
} from '../../src/node/ssh/hostKeys';

// Keys and known_hosts files come from OpenSSH's own ssh-keygen, so these tests prove that we
// read what OpenSSH writes and write what OpenSSH reads.
interface Key { type: string; blob: Buffer; base64: string; pub: string }

let dir: string;
const keys: Record<string, Key> = {};

function generate(name: string, type: string): Key {
  const file = path.join(dir, name);
  execFileSync('ssh-keygen', ['-q', '-t', type, '-f', file, '-N', '', '-C', '']);
  const [keyType, base64] = readFileSync(`${file}.pub`, 'utf8').trim().split(' ');
  return { type: keyType, blob: Buffer.from(base64, 'base64'), base64, pub: `${file}.pub` };
}

function knownHosts(name: string, text: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
}

const line = (hosts: string, k: Key) => `${hosts} ${k.type} ${k.base64}\n`;

describe('host keys', () => {
  before(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'jumio-hostkeys-'));
    keys.ed25519 = generate('ed25519', 'ed25519');
    keys.ecdsa = generate('ecdsa', 'ecdsa');
    keys.rsa = generate('rsa', 'rsa');
    keys.other = generate('other', 'ed25519');
  });

  after(() => rmSync(dir, { recursive: true, force: true }));

  describe('fingerprintOf and hostKeyType', () => {
    for (const name of ['ed25519', 'ecdsa', 'rsa']) {
      it(`print the fingerprint and type ssh-keygen prints for an ${name} key`, () => {
        const k = keys[name];
        const printed = execFileSync('ssh-keygen', ['-lf', k.pub], { encoding: 'utf8' }).split(' ')[1];
        assert.equal(fingerprintOf(k.blob), printed);
        assert.equal(hostKeyType(k.blob), k.type);
      });
    }

    it('hostKeyType refuses a truncated blob instead of reading past it', () => {
      assert.throws(() => hostKeyType(Buffer.from([0, 0, 0, 50, 0x73])), /not an SSH public key/);
      assert.throws(() => hostKeyType(Buffer.alloc(2)), /not an SSH public key/);
    });
  });

  describe('parseKnownHosts', () => {
    it('keeps entries with their line numbers and markers, skipping comments, blanks, CA and malformed lines', () => {
      const k = keys.ed25519;
      const entries = parseKnownHosts([
        '# a comment', '', `   ${line('a.example', k).trim()} a trailing comment`,
        `@revoked * ${k.type} ${k.base64}`, `@cert-authority *.example ${k.type} ${k.base64}`,
        'only-a-host', `b.example ${k.type} !!!not-base64!!!`, `b.example ssh-rsa ${k.base64}`,
        `|1|short|hash ${k.type} ${k.base64}`, `@future-marker c.example ${k.type} ${k.base64}`,
        `c.example\t${k.type}\t${k.base64}\r`,
      ].join('\n'));
      assert.deepEqual(entries.map((e) => [e.line, e.revoked, e.hosts, e.keyType]),
        [[3, false, 'a.example', k.type], [4, true, '*', k.type], [11, false, 'c.example', k.type]]);
      assert.ok(entries.every((e) => e.key.equals(k.blob)));
    });
  });

  describe('hostMatches', () => {
    it('matches comma-separated patterns with * and ?, ignoring case', () => {
      assert.ok(hostMatches('a.example,*.batch.example', 'sftp.BATCH.example'));
      assert.ok(hostMatches('sftp?.example', 'sftp2.example'));
      assert.ok(!hostMatches('sftp?.example', 'sftp.example'));
      assert.ok(!hostMatches('a.example', 'a.example.evil'));
    });

    it('lets a matching !pattern veto the whole line', () => {
      assert.ok(!hostMatches('*.example,!bad.example', 'bad.example'));
      assert.ok(hostMatches('*.example,!bad.example', 'good.example'));
    });

    it('treats [host]:port literally: brackets are not a character class', () => {
      assert.ok(hostMatches('[127.0.0.1]:2222', '[127.0.0.1]:2222'));
      assert.ok(!hostMatches('[127.0.0.1]:2222', '1:2222'));
      assert.ok(hostMatches('[127.0.0.1]:*', knownHostsName('127.0.0.1', 2200)));
    });
  });

  describe('checkHostKey against known_hosts', () => {
    it('names the host as OpenSSH does: bare on port 22, [host]:port elsewhere', () => {
      assert.equal(knownHostsName('SFTP.Example', 22), 'sftp.example');
      assert.equal(knownHostsName('127.0.0.1', 2222), '[127.0.0.1]:2222');
    });

    it('accepts a key recorded for [127.0.0.1]:2222, and only on that port', () => {
      const file = knownHosts('port', line('[127.0.0.1]:2222', keys.ecdsa));
      assert.deepEqual(checkHostKey({ host: '127.0.0.1', port: 2222, key: keys.ecdsa.blob, knownHostsPath: file }),
        { ok: true, fingerprint: fingerprintOf(keys.ecdsa.blob) });
      assert.equal(checkHostKey({ host: '127.0.0.1', port: 22, key: keys.ecdsa.blob, knownHostsPath: file }).ok, false);
    });

    it('accepts entries hashed by ssh-keygen -H, for port 22 and for [host]:port', () => {
      const file = knownHosts('hashed', line('sftp.example', keys.rsa) + line('[127.0.0.1]:2222', keys.ed25519));
      execFileSync('ssh-keygen', ['-H', '-f', file], { stdio: 'ignore' });
      assert.ok(parseKnownHosts(readFileSync(file, 'utf8')).every((e) => e.hosts.startsWith('|1|')));
      assert.equal(checkHostKey({ host: 'sftp.example', port: 22, key: keys.rsa.blob, knownHostsPath: file }).ok, true);
      assert.equal(checkHostKey({ host: '127.0.0.1', port: 2222, key: keys.ed25519.blob, knownHostsPath: file }).ok, true);
      assert.equal(checkHostKey({ host: '127.0.0.1', port: 2223, key: keys.ed25519.blob, knownHostsPath: file }).ok, false);
    });

    it('refuses an unknown host, showing the fingerprint and the three ways to trust it', () => {
      const file = knownHosts('unknown', line('other.example', keys.ed25519));
      const verdict = checkHostKey({ host: '127.0.0.1', port: 2222, key: keys.ed25519.blob, knownHostsPath: file });
      assert.equal(verdict.ok, false);
      if (verdict.ok) return;
      assert.equal(verdict.reason, 'unknown');
      assert.ok(verdict.message.includes(fingerprintOf(keys.ed25519.blob)));
      assert.ok(verdict.message.includes('--accept-new-host-key'));
      assert.ok(verdict.message.includes(`--host-key-fingerprint ${fingerprintOf(keys.ed25519.blob)}`));
      assert.ok(verdict.message.includes(`ssh-keyscan -p 2222 127.0.0.1 >> ${file}`));
    });

    it('treats a missing known_hosts file as no entries, not as an error', () => {
      const verdict = checkHostKey({ host: 'a.example', port: 22, key: keys.rsa.blob, knownHostsPath: path.join(dir, 'absent') });
      assert.equal(!verdict.ok && verdict.reason, 'unknown');
    });

    it('fails closed when the known_hosts file exists but cannot be read', () => {
      assert.throws(() => checkHostKey({ host: 'a.example', port: 22, key: keys.rsa.blob, knownHostsPath: dir }),
        (err: Error) => err.message.startsWith(`Cannot read known hosts file ${dir}`));
    });

    it('refuses a changed key even with acceptNew, and its ssh-keygen -R command removes the old entry', () => {
      const file = knownHosts('changed', line('[127.0.0.1]:2222', keys.ed25519) + line('keep.example', keys.rsa));
      const original = readFileSync(file, 'utf8');
      const verdict = checkHostKey({ host: '127.0.0.1', port: 2222, key: keys.other.blob, knownHostsPath: file, acceptNew: true });
      assert.equal(verdict.ok, false);
      if (verdict.ok) return;
      assert.equal(verdict.reason, 'changed');
      assert.equal(readFileSync(file, 'utf8'), original);
      assert.match(verdict.message, /has changed/);
      assert.match(verdict.message, /attack/);
      assert.ok(verdict.message.includes(fingerprintOf(keys.other.blob)));
      const command = /ssh-keygen -R .*$/.exec(verdict.message)?.[0] ?? '';
      assert.equal(command, `ssh-keygen -R '[127.0.0.1]:2222' -f ${file}`);
      execFileSync('sh', ['-c', command], { stdio: 'ignore' });
      assert.equal(checkHostKey({ host: '127.0.0.1', port: 2222, key: keys.other.blob, knownHostsPath: file }).ok, false);
      assert.equal(checkHostKey({ host: 'keep.example', port: 22, key: keys.rsa.blob, knownHostsPath: file }).ok, true);
    });

    it('calls a key of another type than the recorded ones changed too, and says so', () => {
      const file = knownHosts('other-type', line('sftp.example', keys.rsa));
      const verdict = checkHostKey({ host: 'sftp.example', port: 22, key: keys.ed25519.blob, knownHostsPath: file, acceptNew: true });
      assert.equal(!verdict.ok && verdict.reason, 'changed');
      assert.match(!verdict.ok ? verdict.message : '', /holds only ssh-rsa keys for this host; the server offered ssh-ed25519/);
    });

    it('refuses a @revoked key although another line trusts it, even with acceptNew', () => {
      const file = knownHosts('revoked', line('sftp.example', keys.ecdsa) + `@revoked * ${keys.ecdsa.type} ${keys.ecdsa.base64}\n`);
      const verdict = checkHostKey({ host: 'sftp.example', port: 22, key: keys.ecdsa.blob, knownHostsPath: file, acceptNew: true });
      assert.equal(!verdict.ok && verdict.reason, 'revoked');
      assert.match(!verdict.ok ? verdict.message : '', /line 2/);
    });

    it('ignores @cert-authority lines: a host vouched for only by a CA is unknown', () => {
      const file = knownHosts('ca', `@cert-authority * ${keys.ed25519.type} ${keys.ed25519.base64}\n`);
      const verdict = checkHostKey({ host: 'sftp.example', port: 22, key: keys.ed25519.blob, knownHostsPath: file });
      assert.equal(!verdict.ok && verdict.reason, 'unknown');
    });
  });

  describe('checkHostKey with acceptNew', () => {
    it('records an unknown host in a new private file that ssh-keygen -F then finds', () => {
      const file = path.join(dir, 'new-folder', 'sub', 'known_hosts');
      const input = { host: '127.0.0.1', port: 2222, key: keys.ed25519.blob, knownHostsPath: file };
      assert.deepEqual(checkHostKey({ ...input, acceptNew: true }), { ok: true, fingerprint: fingerprintOf(keys.ed25519.blob), recorded: true });
      assert.equal(readFileSync(file, 'utf8'), line('[127.0.0.1]:2222', keys.ed25519));
      assert.equal(statSync(file).mode & 0o777, 0o600);
      assert.equal(statSync(path.dirname(file)).mode & 0o777, 0o700);
      const found = spawnSync('ssh-keygen', ['-F', '[127.0.0.1]:2222', '-f', file], { encoding: 'utf8' });
      assert.equal(found.status, 0);
      assert.ok(found.stdout.includes(keys.ed25519.base64));
      assert.deepEqual(checkHostKey(input), { ok: true, fingerprint: fingerprintOf(keys.ed25519.blob) });
    });

    it('appends after a last line that lacks its line break, keeping that entry intact', () => {
      const file = knownHosts('no-newline', line('a.example', keys.rsa).trimEnd());
      assert.equal(checkHostKey({ host: 'b.example', port: 22, key: keys.ecdsa.blob, knownHostsPath: file, acceptNew: true }).ok, true);
      assert.equal(readFileSync(file, 'utf8'), line('a.example', keys.rsa) + line('b.example', keys.ecdsa));
    });
  });

  describe('checkHostKey with a pinned fingerprint', () => {
    it('accepts the pinned key, with or without the SHA256: prefix, without consulting known_hosts', () => {
      const file = knownHosts('pin', line('sftp.example', keys.rsa));
      const fingerprint = fingerprintOf(keys.ed25519.blob);
      for (const pin of [fingerprint, fingerprint.slice('SHA256:'.length)]) {
        const verdict = checkHostKey({ host: 'sftp.example', port: 22, key: keys.ed25519.blob, knownHostsPath: file, pinnedFingerprint: pin });
        assert.deepEqual(verdict, { ok: true, fingerprint });
      }
    });

    it('refuses any other key with pin-mismatch, and records nothing even with acceptNew', () => {
      const file = path.join(dir, 'pin-absent');
      const verdict = checkHostKey({
        host: 'sftp.example', port: 22, key: keys.other.blob, knownHostsPath: file,
        pinnedFingerprint: fingerprintOf(keys.ed25519.blob), acceptNew: true,
      });
      assert.equal(!verdict.ok && verdict.reason, 'pin-mismatch');
      assert.ok(!verdict.ok && verdict.message.includes(fingerprintOf(keys.other.blob)));
      assert.throws(() => statSync(file), { code: 'ENOENT' });
    });

    it('explains a pin that is not a SHA256 fingerprint', () => {
      const verdict = checkHostKey({ host: 'h', port: 22, key: keys.rsa.blob, pinnedFingerprint: 'MD5:16:27:ac:a5:76:28:2d:36' });
      assert.match(!verdict.ok ? verdict.message : '', /does not look like a SHA256 fingerprint/);
    });
  });

  describe('defaultKnownHostsPath', () => {
    it("is the user's ~/.ssh/known_hosts", () => {
      assert.equal(defaultKnownHostsPath(), path.join(os.homedir(), '.ssh', 'known_hosts'));
    });
  });
});
