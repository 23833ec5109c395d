// The "Get Started with Jumio Batch" walkthrough (contributes.walkthroughs in package.json): the
// command that opens it, and the context keys that complete its steps when what they ask for has
// happened (a batch in the workspace, a first upload), not only when their button is clicked.
import * as vscode from 'vscode';
import { Ctx } from './context';

export const WALKTHROUGH_COMMAND = 'jumioBatch.getStarted';
/** `publisher.name#id`, as workbench.action.openWalkthrough takes it. */
export const WALKTHROUGH_ID = 'jumio-batch.jumio-batch#jumioBatch.gettingStarted';

/** Set once a batch CSV of the workspace has been linted. */
const HAS_BATCH = 'jumioBatch.hasBatch';
/** Set once an upload (to Jumio or the sandbox) is in the history. */
const HAS_UPLOADED = 'jumioBatch.hasUploaded';

export function registerWalkthrough(ctx: Ctx): vscode.Disposable {
  const set = (key: string) => void vscode.commands.executeCommand('setContext', key, true);
  if (ctx.history.entries().length > 0) set(HAS_UPLOADED);
  const lint = ctx.linter.onDidLint(() => { set(HAS_BATCH); lint.dispose(); });
  return vscode.Disposable.from(
    lint,
    ctx.history.onDidAdd(() => set(HAS_UPLOADED)),
    vscode.commands.registerCommand(WALKTHROUGH_COMMAND, () => vscode.commands.executeCommand('workbench.action.openWalkthrough', WALKTHROUGH_ID, false)),
  );
}
