// Helpers for tests inside the real extension host: the extension's API, the workspace copy,
// and waiting on diagnostics by event (never by sleeping).
import * as assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ResubmitFrom } from '../../src/core';
import type { JumioBatchApi } from '../../src/extension/extension';
import type { Ui } from '../../src/extension/ui';

export const EXTENSION_ID = 'jumio-batch.jumio-batch';

export async function api(): Promise<JumioBatchApi> {
  const ext = vscode.extensions.getExtension<JumioBatchApi>(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} should be loaded`);
  const exported = await ext.activate();
  assert.ok(exported, 'the test API (activate returns it in test mode only)');
  return exported;
}

export function workspaceDir(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'a workspace folder should be open');
  return folder.uri.fsPath;
}

let made = 0;

/** A new batch folder in the workspace with the given input.csv text and files. */
export function makeBatchFolder(csv: string | Buffer, files: Record<string, Buffer> = {}, name = `t${Date.now()}-${made++}`): { folder: string; csv: vscode.Uri } {
  const folder = path.join(workspaceDir(), name);
  mkdirSync(folder, { recursive: true });
  for (const [rel, bytes] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(folder, rel)), { recursive: true });
    writeFileSync(path.join(folder, rel), bytes);
  }
  writeFileSync(path.join(folder, 'input.csv'), csv);
  return { folder, csv: vscode.Uri.file(path.join(folder, 'input.csv')) };
}

export function ours(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'jumio-batch');
}

export function codeOf(d: vscode.Diagnostic): string {
  return typeof d.code === 'object' ? String(d.code.value) : String(d.code);
}

export function codes(uri: vscode.Uri): string[] {
  return ours(uri).map(codeOf).sort();
}

/** Resolves once the file's diagnostics satisfy `test` (checked now and on every change). */
export function waitForDiagnostics(uri: vscode.Uri, test: (ds: vscode.Diagnostic[]) => boolean, what: string, timeoutMs = 20_000): Promise<vscode.Diagnostic[]> {
  return new Promise((resolve, reject) => {
    const check = (): boolean => {
      const ds = ours(uri);
      if (!test(ds)) return false;
      sub.dispose();
      clearTimeout(timer);
      resolve(ds);
      return true;
    };
    const sub = vscode.languages.onDidChangeDiagnostics((e) => {
      if (e.uris.some((u) => u.toString() === uri.toString())) check();
    });
    const timer = setTimeout(() => {
      sub.dispose();
      reject(new Error(`timed out waiting for ${what}; diagnostics now: ${codes(uri).join(', ') || 'none'}`));
    }, timeoutMs);
    check();
  });
}

export const hasCode = (code: string) => (ds: vscode.Diagnostic[]) => ds.some((d) => codeOf(d) === code);
export const lacksCode = (code: string) => (ds: vscode.Diagnostic[]) => !ds.some((d) => codeOf(d) === code);

/** A Ui that answers every question as told and records what was asked. */
export function scriptedUi(answers: { confirm?: boolean | ((message: string) => boolean); trustHostKey?: boolean; passphrase?: string; startRow?: ResubmitFrom } = {}): Ui & { asked: string[]; fingerprints: string[] } {
  const asked: string[] = [];
  const fingerprints: string[] = [];
  return {
    asked,
    fingerprints,
    confirm: async (message) => {
      asked.push(`confirm: ${message}`);
      return typeof answers.confirm === 'function' ? answers.confirm(message) : answers.confirm ?? true;
    },
    trustHostKey: async (server, _type, fingerprint) => { asked.push(`trust: ${server}`); fingerprints.push(fingerprint); return answers.trustHostKey ?? true; },
    askPassphrase: async (keyFile) => { asked.push(`passphrase: ${keyFile}`); return answers.passphrase; },
    askStartRow: async (rows) => { asked.push(`start row of ${rows ?? 'unknown'}`); return answers.startRow; },
  };
}

/** Sets user (global) settings of the extension, returning a function that restores them. */
export async function withSettings(section: string, values: Record<string, unknown>): Promise<() => Promise<void>> {
  const c = vscode.workspace.getConfiguration(section);
  const before: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(values)) {
    before[k] = c.inspect(k)?.globalValue;
    await c.update(k, v, vscode.ConfigurationTarget.Global);
  }
  return async () => {
    for (const k of Object.keys(values)) await c.update(k, before[k], vscode.ConfigurationTarget.Global);
  };
}
