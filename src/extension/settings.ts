// Every setting the extension reads, in one typed module. Read lazily (no reload needed);
// connection settings are machine-scoped and restricted in untrusted workspaces, so a cloned
// repository's .vscode/settings.json can never redirect an upload.
import * as vscode from 'vscode';
import { DEFAULT_CONCURRENCY, DEFAULT_CONNECTIONS, MAX_CONNECTIONS } from '../node/upload/service';
import { ConnectionSettings, LintOptions, normalizeConnection } from '../core';

export type { ConnectionSettings } from '../core';

const SECTION = 'jumioBatch';

const CONNECTION_KEYS = ['host', 'port', 'user', 'identityFile', 'useAgent', 'knownHostsFile', 'hostKeyFingerprint', 'remoteDir', 'sshConfigFile'];

/** The connection, from user (machine) settings only: workspace values are never read. */
export function connectionSettings(): ConnectionSettings {
  const c = vscode.workspace.getConfiguration(`${SECTION}.connection`);
  const raw: Record<string, unknown> = {};
  for (const key of CONNECTION_KEYS) {
    const i = c.inspect(key);
    raw[key] = i?.globalValue ?? i?.defaultValue;
  }
  return normalizeConnection(raw);
}

/** Files in flight and connections of an upload, with the service's measured defaults. */
export function uploadSettings(): { concurrency: number; connections: number } {
  const c = vscode.workspace.getConfiguration(`${SECTION}.upload`);
  const n = c.get<number>('concurrency', DEFAULT_CONCURRENCY);
  const k = c.get<number>('connections', DEFAULT_CONNECTIONS);
  return {
    concurrency: Number.isInteger(n) && n > 0 ? Math.min(n, 256) : DEFAULT_CONCURRENCY,
    connections: Number.isInteger(k) && k > 0 ? Math.min(k, MAX_CONNECTIONS) : DEFAULT_CONNECTIONS,
  };
}

export interface LintSettings {
  options: Partial<LintOptions>;
  include: string[];
  debounceMs: number;
}

/** Lint settings for one file (resource-scoped: a workspace may tune them). */
export function lintSettings(uri?: vscode.Uri): LintSettings {
  const c = vscode.workspace.getConfiguration(`${SECTION}.lint`, uri);
  const mb = c.get<number>('maxImageSizeMB', 10);
  const debounce = c.get<number>('debounceMs', 250);
  return {
    options: {
      maxRows: c.get<number>('maxRows'),
      maxImageBytes: typeof mb === 'number' && mb > 0 ? Math.round(mb * 1_000_000) : undefined,
      maxImagePixels: c.get<number>('maxImagePixels'),
      extraColumns: c.get<string[]>('extraColumns', []),
    },
    include: (c.get<string[]>('include', []) ?? []).filter((g) => typeof g === 'string' && g.trim() !== ''),
    debounceMs: typeof debounce === 'number' && debounce >= 0 ? Math.min(debounce, 5000) : 250,
  };
}

export function affectsLint(e: vscode.ConfigurationChangeEvent): boolean {
  return e.affectsConfiguration(`${SECTION}.lint`);
}
