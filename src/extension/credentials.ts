// Key passphrases in VS Code's Secret Storage (the OS keychain), keyed by key file. Never in
// settings, never logged.
import * as vscode from 'vscode';

const PREFIX = 'jumioBatch.passphrase:';
const INDEX = 'jumioBatch.passphraseKeys';

export class Credentials {
  constructor(private readonly secrets: vscode.SecretStorage, private readonly state: vscode.Memento) {}

  get(keyFile: string): Thenable<string | undefined> {
    return this.secrets.get(PREFIX + keyFile);
  }

  async store(keyFile: string, passphrase: string): Promise<void> {
    await this.secrets.store(PREFIX + keyFile, passphrase);
    const known = new Set(this.state.get<string[]>(INDEX, []));
    known.add(keyFile);
    await this.state.update(INDEX, [...known]);
  }

  async forget(keyFile: string): Promise<void> {
    await this.secrets.delete(PREFIX + keyFile);
    await this.state.update(INDEX, this.state.get<string[]>(INDEX, []).filter((k) => k !== keyFile));
  }

  /** Forgets every saved passphrase; returns how many there were. */
  async forgetAll(): Promise<number> {
    const known = this.state.get<string[]>(INDEX, []);
    for (const k of known) await this.secrets.delete(PREFIX + k);
    await this.state.update(INDEX, []);
    return known.length;
  }
}
