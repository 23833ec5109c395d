// Hover and completion for batch CSVs, from the column docs in core.
import * as vscode from 'vscode';
import { IMAGE_COLUMNS, cellAt, describeCell, describeColumn, headerCompletions, headerNames } from '../core';
import { toRange } from './convert';
import { BatchLinter, LANGUAGE_ID } from './diagnostics';
import { imageHover } from './imageHover';

const SELECTOR: vscode.DocumentSelector = [{ language: LANGUAGE_ID, scheme: 'file' }];

const IMAGE_COLUMN_NAMES: ReadonlySet<string> = new Set(IMAGE_COLUMNS);

export const hoverProvider = (linter: BatchLinter): vscode.HoverProvider => ({
  async provideHover(doc, position) {
    const at = cellAt(doc.getText(), position.line, position.character);
    if (!at) return undefined;
    if (at.record === 0) {
      const name = at.header[at.column] ?? '';
      const docs = describeColumn(name);
      const md = docs ? new vscode.MarkdownString(docs.markdown) : new vscode.MarkdownString(`**${name || '(no name)'}** is no known column of the batch format.`);
      return new vscode.Hover(md, toRange(at.range));
    }
    // An image cell shows its image; any other never its value: it may be personal data.
    if (IMAGE_COLUMN_NAMES.has(at.header[at.column] ?? '')) return new vscode.Hover(await imageHover(doc, at, linter), toRange(at.range));
    return new vscode.Hover(new vscode.MarkdownString(describeCell(at.header[at.column], at.column, at.dataRow + 1)), toRange(at.range));
  },
});

export const headerCompletion: vscode.CompletionItemProvider = {
  provideCompletionItems(doc, position) {
    if (!isHeaderLine(doc, position.line)) return undefined;
    const line = doc.lineAt(position.line).text;
    const start = line.lastIndexOf(',', position.character - 1) + 1;
    const endComma = line.indexOf(',', position.character);
    const end = endComma < 0 ? line.length : endComma;
    const range = new vscode.Range(position.line, start, position.line, end);
    const existing = headerNames(doc.getText());
    const current = line.slice(start, end).trim();
    return headerCompletions(existing.filter((n) => n !== current)).map((c, i) => {
      const item = new vscode.CompletionItem(c.name, vscode.CompletionItemKind.Field);
      item.detail = c.required ? `required · ${c.summary}` : c.summary;
      item.documentation = new vscode.MarkdownString(c.markdown);
      item.range = range;
      item.sortText = String(i).padStart(3, '0');
      return item;
    });
  },
};

/** The header is the first non-blank line. */
function isHeaderLine(doc: vscode.TextDocument, line: number): boolean {
  for (let i = 0; i < line; i++) if (doc.lineAt(i).text.trim() !== '') return false;
  return true;
}

export function registerLanguageFeatures(linter: BatchLinter): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.languages.registerHoverProvider(SELECTOR, hoverProvider(linter)),
    vscode.languages.registerCompletionItemProvider(SELECTOR, headerCompletion, ','),
  );
}
