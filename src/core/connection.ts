/** Where and how to upload: the connection settings, normalized (see `normalizeConnection`). */
export interface ConnectionSettings {
  /** Server or ~/.ssh/config Host alias; '' when not set. */
  host: string;
  port?: number;
  user?: string;
  identityFile?: string;
  useAgent: boolean;
  knownHostsFile?: string;
  hostKeyFingerprint?: string;
  /** Remote folder batches are made in; '.' (the login folder) when not set. */
  remoteDir: string;
  sshConfigFile?: string;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

function port(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 && value < 65536 ? value : undefined;
}

/**
 * Raw values from any source (settings are hand-edited JSON, so any type may arrive) to settings
 * with defaults: text is trimmed and blank means unset; a port that is not 1-65535 is unset (the
 * ssh config or 22 then applies); the agent is used unless turned off explicitly.
 */
export function normalizeConnection(raw: Record<string, unknown>): ConnectionSettings {
  return {
    host: text(raw.host) ?? '',
    port: port(raw.port),
    user: text(raw.user),
    identityFile: text(raw.identityFile),
    useAgent: raw.useAgent !== false,
    knownHostsFile: text(raw.knownHostsFile),
    hostKeyFingerprint: text(raw.hostKeyFingerprint),
    remoteDir: text(raw.remoteDir) ?? '.',
    sshConfigFile: text(raw.sshConfigFile),
  };
}
