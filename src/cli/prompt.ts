import { Io } from './io';

/**
 * Reads one line from a terminal without echoing it (for a key's passphrase). Ctrl-C or Ctrl-D
 * gives undefined; the answer is never written anywhere.
 */
export function askHidden(question: string, io: Io): Promise<string | undefined> {
  const stdin = io.stdin;
  if (!stdin?.isTTY || !stdin.setRawMode) return Promise.resolve(undefined);
  io.stderr.write(question);
  return new Promise((resolve) => {
    let answer = '';
    const finish = (value: string | undefined): void => {
      stdin.setRawMode?.(false);
      stdin.pause();
      stdin.removeListener('data', onData);
      io.stderr.write('\n');
      resolve(value);
    };
    const onData = (chunk: Buffer | string): void => {
      for (const ch of chunk.toString('utf8')) {
        if (ch === '\r' || ch === '\n') return finish(answer);
        if (ch === '\u0003' || ch === '\u0004') return finish(undefined);
        if (ch === '\u007f' || ch === '\b') answer = answer.slice(0, -1);
        else answer += ch;
      }
    };
    stdin.setRawMode?.(true);
    stdin.resume();
    stdin.on('data', onData);
  });
}
