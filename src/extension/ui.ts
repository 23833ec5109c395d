// The questions the extension asks the user, behind one small interface: modal dialogs in the
// product; the extension-host tests answer them (the playwright UI test clicks the real ones).
import * as vscode from 'vscode';
import { ResubmitFrom } from '../core';

export interface Ui {
  /** A modal with one action; true when the user chose it. */
  confirm(message: string, detail: string, action: string): Promise<boolean>;
  /** The first connection to an unknown host: true when the user trusts this fingerprint. */
  trustHostKey(server: string, keyType: string, fingerprint: string, knownHostsFile: string): Promise<boolean>;
  /** A key's passphrase (hidden input); undefined when the user cancels. */
  askPassphrase(keyFile: string): Promise<string | undefined>;
  /** Where a new batch from a row on starts (`rows`: data rows, when known); undefined when the user cancels. */
  askStartRow(rows: number | undefined): Promise<ResubmitFrom | undefined>;
}

export const modalUi: Ui = {
  async confirm(message, detail, action) {
    return (await vscode.window.showWarningMessage(message, { modal: true, detail }, action)) === action;
  },
  async trustHostKey(server, keyType, fingerprint, knownHostsFile) {
    const trust = vscode.l10n.t('Trust and Connect');
    const answer = await vscode.window.showWarningMessage(vscode.l10n.t('The authenticity of {0} can\'t be established.', server), {
      modal: true,
      detail: vscode.l10n.t('Its {0} host key fingerprint is\n\n{1}\n\nCompare it with the fingerprint your Jumio administrator gave you. If they match, the key is recorded in {2} and checked on every later connection. If they do not, do not connect.', keyType, fingerprint, knownHostsFile),
    }, trust);
    return answer === trust;
  },
  askPassphrase(keyFile) {
    return Promise.resolve(vscode.window.showInputBox({
      title: vscode.l10n.t('Jumio Batch: key passphrase'),
      prompt: vscode.l10n.t('Passphrase for {0} (kept in VS Code\'s Secret Storage after a successful login)', keyFile),
      password: true,
      ignoreFocusOut: true,
    }));
  },
  async askStartRow(rows) {
    const how = await vscode.window.showQuickPick([
      { label: '$(list-ordered) From a row number', id: 'row' as const },
      { label: '$(symbol-key) From a customerInternalReference', id: 'reference' as const },
    ], { title: 'Jumio Batch: new batch from row', placeHolder: 'The row Jumio stopped at: fix it first, then start the new batch there' });
    if (!how) return undefined;
    if (how.id === 'reference') {
      const reference = await vscode.window.showInputBox({
        title: 'Jumio Batch: new batch from row',
        prompt: 'customerInternalReference of the row to start from (from Jumio\'s job information)',
        validateInput: (v) => (v.trim() === '' ? 'Type the reference' : undefined),
      });
      return reference === undefined ? undefined : { reference };
    }
    const range = rows === undefined ? 'from 1' : `1–${rows.toLocaleString('en-US')}`;
    const row = await vscode.window.showInputBox({
      title: 'Jumio Batch: new batch from row',
      prompt: `Data row to start from (${range}; rows count as the linter counts them, without the header and blank lines)`,
      validateInput: (v) => (/^\d+$/.test(v.trim()) && Number(v) >= 1 && (rows === undefined || Number(v) <= rows) ? undefined : `A row number ${range}`),
    });
    return row === undefined ? undefined : { row: Number(row) };
  },
};
