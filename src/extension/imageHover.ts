// The hover of an image cell (frontImage, backImage, faceImage): the image itself as a thumbnail,
// its pixel size, bytes and format, and the cell's problem. It reads only the batch folder, so it
// works in Restricted Mode too.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { CellLocation, Problem, describeCell, fitInto, formatBytes, unquote } from '../core';
import { ImageProbe, probeBatchImage } from '../node/images/probe';
import { toRange } from './convert';
import { BatchLinter } from './diagnostics';

/** The thumbnail fits this box (CSS pixels). */
export const THUMBNAIL_BOX = { width: 240, height: 240 };

const SEVERITY_ICON = { error: '$(error)', warning: '$(warning)', info: '$(info)' } as const;

/** The problems of the last lint that touch the cell; none while that lint is of an older text. */
function cellProblems(linter: BatchLinter, doc: vscode.TextDocument, cell: vscode.Range): Problem[] {
  const entry = linter.entry(doc.uri);
  if (!entry || (entry.version !== undefined && entry.version !== doc.version)) return [];
  return entry.problems.filter((p) => toRange(p.range).intersection(cell) !== undefined);
}

/** The line about the file: its pixel size, bytes and format; or why there is no image to show. */
function fileLine(probe: ImageProbe): string {
  switch (probe.kind) {
    case 'file': {
      const facts = [formatBytes(probe.bytes), probe.format];
      if (probe.pixels) facts.unshift(vscode.l10n.t('{0} × {1} px', probe.pixels.width, probe.pixels.height));
      if (probe.pixels?.rotated) facts.push(vscode.l10n.t('turned by its EXIF orientation'));
      return facts.join(' · ');
    }
    case 'missing': return vscode.l10n.t('No file at this path in the batch folder.');
    case 'outside': return vscode.l10n.t('Not shown: the path leads outside the batch folder.');
    case 'not-a-file': return vscode.l10n.t('Not shown: the path is a folder, not a file.');
    case 'unreadable': return vscode.l10n.t('The file cannot be read ({0}).', probe.code);
  }
}

/**
 * The hover's markdown. The thumbnail is a markdown image of the file's URI: the extension host
 * hands that URI to the workbench, which rewrites it to one the window can load (a
 * vscode-remote-resource URL in a browser or remote window, vscode-file on the desktop).
 */
export async function imageHover(doc: vscode.TextDocument, at: CellLocation, linter: BatchLinter): Promise<vscode.MarkdownString> {
  const cell = toRange(at.range);
  const probe = await probeBatchImage(path.dirname(doc.uri.fsPath), unquote(doc.getText(cell)));
  const md = new vscode.MarkdownString('', true);
  md.appendMarkdown(describeCell(at.header[at.column], at.column, at.dataRow + 1));
  md.appendMarkdown('\n\n');
  if (probe.kind === 'file' && (probe.format === 'PNG' || probe.format === 'JPEG') && probe.pixels) {
    const { width, height } = fitInto(probe.pixels, THUMBNAIL_BOX.width, THUMBNAIL_BOX.height);
    const alt = vscode.l10n.t('{0} of row {1}', at.header[at.column] ?? '', at.dataRow + 1).replace(/[[\]\\]/g, '');
    md.appendMarkdown(`![${alt}](${vscode.Uri.file(probe.file).toString()}|width=${width},height=${height})\n\n`);
  }
  md.appendText(fileLine(probe));
  for (const p of cellProblems(linter, doc, cell)) {
    md.appendMarkdown(`\n\n${SEVERITY_ICON[p.severity]} \`${p.code}\` `);
    md.appendText(p.message);
  }
  return md;
}
