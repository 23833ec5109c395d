import * as assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { askHidden } from '../../src/cli/prompt';

/** A stand-in terminal: a stream with isTTY and setRawMode, recording raw-mode changes. */
function fakeTty(): PassThrough & { isTTY: boolean; raw: boolean[]; setRawMode(on: boolean): void } {
  const s = new PassThrough() as PassThrough & { isTTY: boolean; raw: boolean[]; setRawMode(on: boolean): void };
  s.isTTY = true;
  s.raw = [];
  s.setRawMode = (on: boolean) => { s.raw.push(on); };
  return s;
}

describe('the passphrase prompt', () => {
  it('reads a line in raw mode without echoing it, and restores the terminal', async () => {
    const stdin = fakeTty();
    let shown = '';
    const answer = askHidden('Passphrase for key: ', { stdin, stdout: { write: () => true }, stderr: { write: (s: string) => { shown += s; } }, env: {} });
    stdin.write('se');
    stdin.write('cret\x7fT\r');
    assert.equal(await answer, 'secreT');
    assert.equal(shown, 'Passphrase for key: \n');
    assert.deepEqual(stdin.raw, [true, false]);
  });

  it('gives up on Ctrl-C, and asks nothing when stdin is not a terminal', async () => {
    const stdin = fakeTty();
    const answer = askHidden('? ', { stdin, stdout: { write: () => true }, stderr: { write: () => true }, env: {} });
    stdin.write('abc\u0003');
    assert.equal(await answer, undefined);
    const pipe = new PassThrough();
    assert.equal(await askHidden('? ', { stdin: pipe, stdout: { write: () => true }, stderr: { write: () => true }, env: {} }), undefined);
  });
});
