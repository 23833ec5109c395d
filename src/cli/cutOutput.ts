// What split and resubmit print alike: the progress of the files written, and why nothing was.
import { BatchCutError, CutProgress, CutVerb } from '../node/batch/cutFolders';
import { count, toJsonProblem } from './format';
import { Io, shownPath as shown } from './io';

/** On a terminal, `Writing 120/300 files` on stderr, redrawn at most every 100 ms; `clear` wipes it. */
export function fileProgress(io: Io): { onProgress?: (p: CutProgress) => void; clear(): void } {
  const tty = !!io.stderr.isTTY;
  let lastDraw = 0;
  return {
    onProgress: tty ? (p) => {
      const now = Date.now();
      if (now - lastDraw < 100 && p.filesDone < p.filesTotal) return;
      lastDraw = now;
      io.stderr.write(`\r\x1b[KWriting ${p.filesDone.toLocaleString('en-US')}/${p.filesTotal.toLocaleString('en-US')} files`);
    } : undefined,
    clear: () => { if (tty) io.stderr.write('\r\x1b[K'); },
  };
}

/**
 * Prints why a cut wrote nothing and returns the exit status: the problems that make it unsafe
 * as lint prints them, then what to do (1); cancelled (130); anything else in one line (2).
 */
export function reportCutError(e: BatchCutError, io: Io, how: CutVerb): number {
  if (e.kind === 'unsafe') {
    for (const p of e.problems) {
      const j = toJsonProblem(p);
      io.stderr.write(`${shown(e.csvPath)}:${j.line}:${j.column}: ${p.severity} ${p.code} ${p.message}\n`);
    }
    const n = e.problems.length;
    io.stderr.write(`jumio-batch: cannot ${how.verb} ${shown(e.csvPath)}: the ${count(n, 'error')} above make${n === 1 ? 's' : ''} ${how.gerund} unsafe; fix ${n === 1 ? 'it' : 'them'} and ${how.verb} again. Nothing was written.\n`);
    return 1;
  }
  io.stderr.write(`jumio-batch: ${e.message}\n`);
  return e.kind === 'cancelled' ? 130 : 2;
}
