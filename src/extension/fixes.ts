// Quick fixes, matched by rule code. Most come from the replacement the linter computed; the BOM
// and the fixes that edit the whole file (a missing column, another separator, blank rows) need
// edits of their own, computed by core. "Fix all" applies every fix of one code at once.
import * as vscode from 'vscode';
import { DELIMITER_NAMES, Delimiter, Problem, RuleCode, TextEdit, addMissingColumns, commaEdits, detectDelimiter, nonOverlapping, removeBlankRows } from '../core';
import { toRange, toTextEdit } from './convert';
import { BatchLinter, LANGUAGE_ID } from './diagnostics';
import { lintSettings } from './settings';

export const REMOVE_BOM_COMMAND = 'jumioBatch.removeBom';

/** The title of one replacement fix, and of the fix-all (undefined: no fix-all for the code). */
const TITLES: Partial<Record<RuleCode, { one: (p: Problem) => string; all?: (n: number) => string }>> = {
  'whitespace': { one: () => 'Trim the spaces', all: (n) => `Trim the spaces of all ${n} cells` },
  'forbidden-character': { one: () => 'Remove the forbidden character', all: (n) => `Remove all ${n} forbidden characters` },
  'unknown-column': { one: (p) => `Rename the column to "${p.replacement}"`, all: (n) => `Rename all ${n} misspelt columns` },
  'image-case-mismatch': { one: (p) => `Write "${p.replacement}" (the file's real letter case)`, all: (n) => `Correct the letter case of all ${n} image references` },
  'country-code': { one: (p) => `Use "${p.replacement}"`, all: (n) => `Correct all ${n} country codes` },
  'timestamp': { one: (p) => `Rewrite as ${p.replacement}`, all: (n) => `Rewrite all ${n} timestamps as UTC YYYY-MM-DDThh:mm:ss.SSSZ` },
  'consent-value': { one: (p) => `Use "${p.replacement}"`, all: (n) => `Correct all ${n} consent values` },
  'phone-number': { one: () => 'Keep only the digits (and a leading +)', all: (n) => `Clean all ${n} phone numbers` },
  'excel-damage': { one: (p) => `Restore the leading zero: "${p.replacement}"`, all: (n) => `Restore the leading zeros of all ${n} ZIP codes` },
  'image-name-unicode': { one: () => "Write the name in the Unicode form of the file's own name", all: (n) => `Write all ${n} image names in the Unicode form of their files' names` },
};

/**
 * The fixes whose edits span the file, one per code for all its problems: from the text (read with
 * the separator the lint found), a title and the edits (none when there is nothing to do).
 */
const FILE_FIXES: Partial<Record<RuleCode, (text: string, separator: Delimiter) => { title: string; edits: TextEdit[] }>> = {
  'missing-column': (text, separator) => {
    const add = addMissingColumns(text, undefined, separator);
    return { title: `Add the column${add.columns.length > 1 ? 's' : ''} ${add.columns.join(', ')}${add.columns.includes('workflowDefinitionKey') ? ' (workflow key 10015)' : ''}`, edits: add.edits };
  },
  'delimiter': (text, separator) => ({ title: `Rewrite the file with commas instead of ${DELIMITER_NAMES[separator]}`, edits: commaEdits(text, separator) }),
  'blank-row': (text, separator) => ({ title: 'Remove all blank rows', edits: removeBlankRows(text, separator) }),
};

export class BatchFixes implements vscode.CodeActionProvider {
  static readonly kinds = [vscode.CodeActionKind.QuickFix];

  constructor(private readonly linter: BatchLinter) {}

  provideCodeActions(doc: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const entry = this.linter.entry(doc.uri);
    // Ranges of an older version would edit the wrong text: the next lint brings fresh ones.
    if (!entry || entry.version !== doc.version) return [];
    const actions: vscode.CodeAction[] = [];
    const offeredAll = new Set<RuleCode>();
    for (const p of this.linter.problemsAt(doc.uri, context.diagnostics)) {
      const diagnostic = entry.diagnostics[entry.problems.indexOf(p)];
      if (p.code === 'bom') {
        const a = new vscode.CodeAction('Remove the byte-order mark (saves the file)', vscode.CodeActionKind.QuickFix);
        a.command = { command: REMOVE_BOM_COMMAND, title: a.title, arguments: [doc.uri] };
        a.diagnostics = [diagnostic];
        a.isPreferred = true;
        actions.push(a);
        continue;
      }
      const fileFix = FILE_FIXES[p.code];
      if (fileFix) {
        if (offeredAll.has(p.code)) continue;
        offeredAll.add(p.code);
        const text = doc.getText();
        const fix = fileFix(text, detectDelimiter(text, lintSettings(doc.uri).options.extraColumns));
        if (fix.edits.length === 0) continue;
        const a = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
        a.edit = new vscode.WorkspaceEdit();
        a.edit.set(doc.uri, fix.edits.map(toTextEdit));
        a.diagnostics = entry.diagnostics.filter((_, i) => entry.problems[i].code === p.code);
        a.isPreferred = true;
        actions.push(a);
        continue;
      }
      const title = TITLES[p.code];
      if (!title || p.replacement === undefined) continue;
      const one = new vscode.CodeAction(title.one(p), vscode.CodeActionKind.QuickFix);
      one.edit = new vscode.WorkspaceEdit();
      one.edit.replace(doc.uri, toRange(p.range), p.replacement);
      one.diagnostics = [diagnostic];
      one.isPreferred = true;
      actions.push(one);
      if (!title.all || offeredAll.has(p.code)) continue;
      const same = entry.problems.map((q, i) => ({ q, d: entry.diagnostics[i] })).filter(({ q }) => q.code === p.code && q.replacement !== undefined);
      if (same.length < 2) continue;
      offeredAll.add(p.code);
      const all = new vscode.CodeAction(title.all(same.length), vscode.CodeActionKind.QuickFix);
      all.edit = new vscode.WorkspaceEdit();
      for (const q of nonOverlapping(same.map((s) => s.q))) all.edit.replace(doc.uri, toRange(q.range), q.replacement as string);
      all.diagnostics = same.map((s) => s.d);
      actions.push(all);
    }
    return actions;
  }
}

/** Removes a UTF-8 BOM from the file on disk (an editor never shows it, so no text edit can). */
export async function removeBom(uri: vscode.Uri): Promise<boolean> {
  const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (doc?.isDirty) await doc.save();
  const bytes = await vscode.workspace.fs.readFile(uri);
  if (!(bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf)) return false;
  await vscode.workspace.fs.writeFile(uri, bytes.subarray(3));
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
