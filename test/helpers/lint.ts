import { CsvLint, FolderEntry, FolderIndex, IMAGE_WALK_BYTES, ImageFacts, LintOptions, Problem, inspectImage, lintCsv } from '../../src/core';

/** A fixed "now" (2026-01-01T00:00:00Z) so that future/past rules give the same answer every day. */
export const NOW = Date.UTC(2026, 0, 1);

/** The seed's header and its first example row (lints clean with the seed's six images). */
export const SEED_HEADER = 'workflowDefinitionKey,customerInternalReference,backImage,frontImage,faceImage,userConsentUserIp,userConsentUserLocationCountry,userConsentUserLocationState,userConsentConsentObtained,userConsentConsentObtainedAt,preparedData.firstName,preparedData.lastName,preparedData.phoneNumber,preparedData.email,preparedData.address.line1,preparedData.address.postalCode,preparedData.address.city,preparedData.address.subdivision,preparedData.address.country';
export const SEED_ROW_1 = '10015,myOrganization,0_200014954151.back.png,0_200014954151.front.png,0_200014954151.face.png,226.80.211.232,USA,IL,yes,2022-07-20T17:20:35.000Z,John,Smith,15031234567,email1@gmail.com,12345 SW Address Ln,12345,Any Town,OR,USA';
export const SEED_ROW_2 = '10015,myOrganization,1_200014954152.back.png,1_200014954152.front.png,1_200014954152.face.png,226.80.211.232,USA,IL,yes,2022-07-20T17:20:35.000Z,John,Smith,15031234567,email2@gmail.com,6789 NE Address Ln,56789,Other Town,NY,USA';
/** The seed header's column names, in order. */
export const SEED_COLUMNS = SEED_HEADER.split(',');

/** A seed row (SEED_ROW_1 by default) with the named cells replaced (the seed rows quote nothing, so a split is safe). */
export function seedRow(changes: Record<string, string> = {}, row = SEED_ROW_1): string {
  const cells = row.split(',');
  for (const [name, value] of Object.entries(changes)) {
    const i = SEED_COLUMNS.indexOf(name);
    if (i < 0) throw new Error(`no column ${name} in the seed header`);
    cells[i] = value;
  }
  return cells.join(',');
}

/**
 * A seed row told apart from every other by its reference, `order-` and eight digits: as long as
 * the seed's `myOrganization` (and too short a digit run to look like personal data), so positions stay those of the seed row. Rows made so are no
 * `duplicate-row`s, but they share the seed row's images (`image-reused`, with a folder).
 */
export function numberedRow(i: number, row = SEED_ROW_1): string {
  return seedRow({ customerInternalReference: `order-${String(i).padStart(8, '0')}` }, row);
}

export const SEED_IMAGES = ['0_200014954151', '1_200014954152'].flatMap((id) => ['back', 'front', 'face'].map((s) => `${id}.${s}.png`));

export interface LintFixture {
  fileName?: string;
  /** Files in the batch folder; defaults to the seed's six images. `null`: no folder at all. */
  files?: (string | FolderEntry)[] | null;
  options?: Partial<LintOptions>;
}

/** Lints CSV text (or bytes) as `input.csv` in a folder holding `files`. */
export function lint(csv: string | Uint8Array, fixture: LintFixture = {}): CsvLint {
  const bytes = typeof csv === 'string' ? new TextEncoder().encode(csv) : csv;
  const files = fixture.files === undefined ? SEED_IMAGES : fixture.files;
  return lintCsv({
    fileName: fixture.fileName ?? 'input.csv',
    bytes,
    folder: files === null ? undefined : new FolderIndex(files.map((f) => (typeof f === 'string' ? { path: f } : f))),
    options: { now: NOW, ...fixture.options },
  });
}

/** The problems of one code. */
export function withCode(problems: Problem[], code: string): Problem[] {
  return problems.filter((p) => p.code === code);
}

/** The problems as `code@line:char-line:char` strings, for compact assertions. */
export function where(problems: Problem[]): string[] {
  return problems.map((p) => `${p.code}@${p.range.start.line}:${p.range.start.character}-${p.range.end.line}:${p.range.end.character}`);
}

export function codes(problems: Problem[]): string[] {
  return problems.map((p) => p.code);
}

/** Image facts for `checkImages`. */
export function facts(entries: Record<string, { size: number; head: number[] | Uint8Array }>): Map<string, ImageFacts> {
  return new Map(Object.entries(entries).map(([k, v]) => [k, { size: v.size, head: Uint8Array.from(v.head) }]));
}

/**
 * What `inspectImage` reads of a file held in memory, and every read it made (offset, length).
 * Like the adapter, it reads into one buffer, so bytes kept from an earlier read would be wrong.
 */
export function inspect(bytes: Uint8Array): { facts: ImageFacts; reads: [number, number][] } {
  const reads: [number, number][] = [];
  const buffer = new Uint8Array(IMAGE_WALK_BYTES);
  const facts = inspectImage(bytes.length, (offset, length) => {
    reads.push([offset, length]);
    const part = bytes.subarray(offset, offset + Math.min(length, buffer.length));
    buffer.fill(0xee);
    buffer.set(part);
    return buffer.subarray(0, part.length);
  });
  return { facts, reads };
}

/** Image facts for `checkImages`, read from the files' bytes as the adapter would. */
export function factsOf(files: Record<string, Uint8Array>): Map<string, ImageFacts> {
  return new Map(Object.entries(files).map(([name, bytes]) => [name, inspect(bytes).facts]));
}
