// Quick fixes: a thin adapter over core's fix engine (FIXERS, by rule code), the one that
// `jumio-batch fix` runs. Each fix is offered on its problem; "fix all" applies every fix of one
// code at once. The byte-order mark is not in the editor's text, so its fix rewrites the file.
import * as vscode from 'vscode';
import { FIXERS, FixDocument, RuleCode, TextEdit, fixDocument, mergeFixes, withoutBom } from '../core';
import { toTextEdit } from './convert';
import { BatchLinter, LANGUAGE_ID } from './diagnostics';
import { lintSettings } from './settings';

export const REMOVE_BOM_COMMAND = 'jumioBatch.removeBom';

/** A quick fix that makes `fix`'s change: a workspace edit, or the command that drops the BOM. */
function action(uri: vscode.Uri, title: string, fix: { edits: TextEdit[]; dropBom?: boolean }, diagnostics: vscode.Diagnostic[]): vscode.CodeAction {
  const a = new vscode.CodeAction(fix.dropBom ? `${title} (saves the file)` : title, vscode.CodeActionKind.QuickFix);
  if (fix.dropBom) a.command = { command: REMOVE_BOM_COMMAND, title: a.title, arguments: [uri] };
  else {
    a.edit = new vscode.WorkspaceEdit();
    a.edit.set(uri, fix.edits.map(toTextEdit));
  }
  a.diagnostics = diagnostics;
  return a;
}

export class BatchFixes implements vscode.CodeActionProvider {
  static readonly kinds = [vscode.CodeActionKind.QuickFix];

  constructor(private readonly linter: BatchLinter) {}

  provideCodeActions(doc: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const entry = this.linter.entry(doc.uri);
    // Ranges of an older version would edit the wrong text: the next lint brings fresh ones.
    if (!entry || entry.version !== doc.version) return [];
    let text: FixDocument | undefined;
    // The workflow's extra columns tell a header separated by `;` from one holding a `;` value.
    const fixDoc = (): FixDocument => (text ??= fixDocument(doc.getText(), lintSettings(doc.uri).options.extraColumns ?? []));
    const diagnosticsOf = (code: RuleCode): vscode.Diagnostic[] => entry.diagnostics.filter((_, i) => entry.problems[i].code === code);
    const actions: vscode.CodeAction[] = [];
    const offeredAll = new Set<RuleCode>();
    for (const p of this.linter.problemsAt(doc.uri, context.diagnostics)) {
      const fixer = FIXERS[p.code];
      if (!fixer || (fixer.scope === 'file' && offeredAll.has(p.code))) continue;
      const fix = fixer.fix(p, fixDoc());
      if (!fix) continue;
      const one = action(doc.uri, fix.title, fix, fixer.scope === 'file' ? diagnosticsOf(p.code) : [entry.diagnostics[entry.problems.indexOf(p)]]);
      one.isPreferred = true;
      actions.push(one);
      if (fixer.scope === 'file') { offeredAll.add(p.code); continue; }
      if (!fixer.all || offeredAll.has(p.code)) continue;
      const same = entry.problems.map((q, i) => ({ q, d: entry.diagnostics[i] })).filter(({ q }) => q.code === p.code && fixer.fix(q, fixDoc()) !== undefined);
      if (same.length < 2) continue;
      offeredAll.add(p.code);
      actions.push(action(doc.uri, fixer.all(same.length), mergeFixes(same.map((s) => s.q), fixDoc()), same.map((s) => s.d)));
    }
    return actions;
  }
}

/** Removes a UTF-8 BOM from the file on disk (an editor never shows it, so no text edit can). */
export async function removeBom(uri: vscode.Uri): Promise<boolean> {
  const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (doc?.isDirty) await doc.save();
  const without = withoutBom(await vscode.workspace.fs.readFile(uri));
  if (!without) return false;
  await vscode.workspace.fs.writeFile(uri, without);
  return true;
}

export function registerFixes(linter: BatchLinter): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.languages.registerCodeActionsProvider([{ language: LANGUAGE_ID, scheme: 'file' }, { pattern: '**/*.csv', scheme: 'file' }], new BatchFixes(linter), { providedCodeActionKinds: BatchFixes.kinds }),
    vscode.commands.registerCommand(REMOVE_BOM_COMMAND, (uri?: vscode.Uri) => {
      const target = uri ?? vscode.window.activeTextEditor?.document.uri;
      return target ? removeBom(target) : false;
    }),
  );
}
