import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { BATCH_CSV_NAME, CONSENT_COLUMNS, IMAGE_COLUMNS, REQUIRED_COLUMNS } from '../../core';

/** The header of a new batch: the required columns, the images, the consent, in the spec's order. */
export const NEW_BATCH_HEADER = [...REQUIRED_COLUMNS, ...IMAGE_COLUMNS, ...CONSENT_COLUMNS].join(',');

export const STEPS_FILE_NAME = 'STEPS.md';

export const NEW_BATCH_STEPS = `# A new Jumio batch

1. Add one row per transaction to \`${BATCH_CSV_NAME}\`, below the header. \`workflowDefinitionKey\`
   (e.g. 10015) and \`customerInternalReference\` (your own id, no personal data) are required;
   leave a cell empty when a row has no value for it. Add \`preparedData.*\` columns if your
   workflow needs them.
2. Put the images next to \`${BATCH_CSV_NAME}\` (sub-folders are fine) and write their paths
   relative to it in frontImage, backImage and faceImage, e.g. \`ids/0001.front.jpg\`.
   JPEG or PNG, at most 10 MB each.
3. Fix everything the linter shows (in VS Code, the Problems panel; on the command line,
   \`jumio-batch lint <folder>\`).
4. Upload: "Jumio Batch: Upload Batch…" in VS Code, or \`jumio-batch upload <folder> --host H\`.
   The upload creates a new UUID-named batch folder on the server, sends \`${BATCH_CSV_NAME}\` and
   the images its rows reference (this note is not sent), and sends \`DONE\` last, automatically:
   that starts processing.

At most 10,000 rows per batch: "Jumio Batch: Split Batch" (or \`jumio-batch split <folder>\`)
cuts a larger one into several.
`;

/** The folder name is not one plain name (a path, `.`, `..`, empty): nothing was created. */
export class ScaffoldError extends Error {}

/** Folder names tried after the first one is taken: `batch-2` … `batch-1000`. */
const MAX_SUFFIX = 1000;

function checkName(name: string): void {
  if (name.trim() === '' || name === '.' || name === '..' || /[/\\\0]/.test(name)) {
    throw new ScaffoldError(`"${name}" cannot name a batch folder: give one folder name, without / or \\.`);
  }
}

/**
 * Creates a new batch folder `<parent>/<name>` (default name `batch`; when taken, `<name>-2`,
 * `<name>-3`, …) holding an `input.csv` with only the header line (LF, no byte-order mark; it
 * lints with nothing but `no-rows` until a row is added) and a `STEPS.md` saying what to do next.
 * The parent folder must exist. A failure part-way removes the new folder again.
 */
export async function scaffoldBatchFolder(parent: string, name = 'batch'): Promise<{ folder: string; csvPath: string }> {
  checkName(name);
  const base = path.resolve(parent);
  const stat = await fs.stat(base).catch(() => undefined);
  if (!stat?.isDirectory()) throw new ScaffoldError(`${base} is not an existing folder: create it first, or choose another.`);
  let folder: string | undefined;
  for (let n = 1; n <= MAX_SUFFIX && !folder; n++) {
    const candidate = path.join(base, n === 1 ? name : `${name}-${n}`);
    // mkdir claims the name atomically: two runs at once never share a folder.
    folder = await fs.mkdir(candidate).then(() => candidate, (e: NodeJS.ErrnoException) => {
      if (e.code === 'EEXIST') return undefined;
      throw new ScaffoldError(`cannot create ${candidate}: ${e.code === 'EACCES' || e.code === 'EPERM' ? 'permission denied' : e.message}`);
    });
  }
  if (!folder) throw new ScaffoldError(`${path.join(base, name)} and ${MAX_SUFFIX - 1} numbered variants already exist: choose another name.`);
  const csvPath = path.join(folder, BATCH_CSV_NAME);
  try {
    await fs.writeFile(csvPath, `${NEW_BATCH_HEADER}\n`, { flag: 'wx' });
    await fs.writeFile(path.join(folder, STEPS_FILE_NAME), NEW_BATCH_STEPS, { flag: 'wx' });
  } catch (e) {
    await fs.rm(folder, { recursive: true, force: true });
    throw new ScaffoldError(`cannot write the new batch's files in ${folder}: ${(e as Error).message}`);
  }
  return { folder, csvPath };
}
