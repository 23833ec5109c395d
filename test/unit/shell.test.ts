import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { shellQuote, singleQuote } from '../../src/core';

/** What /bin/sh makes of `word`: the one argument it passes on, as printf shows it. */
function throughShell(word: string): string {
  return execFileSync('/bin/sh', ['-c', `printf '%s' ${word}`], { encoding: 'utf8' });
}

describe('shell quoting', () => {
  it('leaves a plain path, host or fingerprint as it is', () => {
    for (const s of ['/home/me/.ssh/id_ed25519', 'sftp.jumio.example', 'SHA256:abc+/=', 'user@host:22', '-']) assert.equal(shellQuote(s), s);
  });

  it('quotes the empty string, so it stays one argument', () => {
    assert.equal(shellQuote(''), `''`);
    assert.equal(throughShell(`${shellQuote('')}x`), 'x');
  });

  it('quotes spaces, $, backticks, globs and newlines, and the shell gives back the same text', () => {
    for (const s of ['My Batches/key', 'price$HOME', 'a`id`b', 'img*.png', 'two\nlines', '~/key', 'a;rm -rf x']) {
      assert.notEqual(shellQuote(s), s, s);
      assert.equal(throughShell(shellQuote(s)), s, s);
    }
  });

  it("closes, escapes and reopens around a single quote: O'Brien becomes 'O'\\''Brien'", () => {
    assert.equal(singleQuote("O'Brien"), `'O'\\''Brien'`);
    assert.equal(throughShell(shellQuote("O'Brien's key")), "O'Brien's key");
    assert.equal(throughShell(singleQuote("'")), "'");
  });

  it('singleQuote quotes always, even a plain word', () => {
    assert.equal(singleQuote('host'), `'host'`);
  });
});
