import * as assert from 'node:assert/strict';
import { normalizeConnection } from '../../src/core';

describe('normalizeConnection', () => {
  it('fills the defaults when nothing is set: no host, the login folder, the agent on', () => {
    assert.deepEqual(normalizeConnection({}), {
      host: '', port: undefined, user: undefined, identityFile: undefined, useAgent: true,
      knownHostsFile: undefined, hostKeyFingerprint: undefined, remoteDir: '.', sshConfigFile: undefined,
    });
  });

  it('trims text and treats blank text as unset', () => {
    const c = normalizeConnection({ host: '  sftp.example  ', user: ' jumio\t', identityFile: '   ', remoteDir: ' ', hostKeyFingerprint: ' SHA256:abc ' });
    assert.equal(c.host, 'sftp.example');
    assert.equal(c.user, 'jumio');
    assert.equal(c.identityFile, undefined);
    assert.equal(c.remoteDir, '.');
    assert.equal(c.hostKeyFingerprint, 'SHA256:abc');
  });

  it('keeps a port of 1 to 65535 and drops any other, so the ssh config or 22 applies', () => {
    assert.equal(normalizeConnection({ port: 2222 }).port, 2222);
    assert.equal(normalizeConnection({ port: 65535 }).port, 65535);
    for (const bad of [0, -22, 65536, 22.5, '22', NaN, null]) assert.equal(normalizeConnection({ port: bad }).port, undefined, String(bad));
  });

  it('turns the agent off only for an explicit false, and ignores values of the wrong type', () => {
    assert.equal(normalizeConnection({ useAgent: false }).useAgent, false);
    assert.equal(normalizeConnection({ useAgent: 'no' }).useAgent, true);
    assert.equal(normalizeConnection({ host: 42, user: ['jumio'] }).host, '');
    assert.equal(normalizeConnection({ user: ['jumio'] }).user, undefined);
  });
});
