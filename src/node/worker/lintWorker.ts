// The worker thread behind LintClient: owns an EditorLinter and answers its messages. A request
// overtaken by a newer one for the same file (the user kept typing) is answered `stale` unparsed.
import { parentPort } from 'node:worker_threads';
import { EditorLinter } from './editorLint';
import type { WorkerMessage, WorkerReady, WorkerReply } from './lintClient';

const linter = new EditorLinter();
const latest = new Map<string, number>();

function reply(message: WorkerReply | WorkerReady): void {
  parentPort?.postMessage(message);
}

parentPort?.on('message', (m: WorkerMessage) => {
  if (m.type === 'invalidate') { linter.invalidate(m.file, m.listingChanged); return; }
  if (m.type === 'clear') { linter.clear(); return; }
  latest.set(m.request.csvPath, m.id);
  // Let newer messages in before the parse, so a burst of keystrokes costs one lint.
  setImmediate(() => {
    if (latest.get(m.request.csvPath) !== m.id) { reply({ id: m.id, stale: true }); return; }
    linter.lint(m.request).then(
      (result) => reply(latest.get(m.request.csvPath) === m.id ? { id: m.id, result } : { id: m.id, stale: true }),
      (e: Error) => reply({ id: m.id, error: e?.message ?? String(e) }),
    );
  });
});

// Last: every request is handled after this (messages wait for the module to finish loading).
reply({ ready: true });
