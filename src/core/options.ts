/** Lint limits and knobs. Defaults follow the batch format; every one can be set by the user. */
export interface LintOptions {
  /** Most data rows a batch may hold (Jumio: 10,000). */
  maxRows: number;
  /** Largest image, in bytes, before `image-too-large` (10 MB). */
  maxImageBytes: number;
  /** Largest width or height of an image, in pixels, before `image-dimensions` (8,000). */
  maxImagePixels: number;
  /** "Now", as epoch milliseconds, for future timestamps and birth dates. */
  now: number;
  /** Extra header names a workflow needs, accepted without `unknown-column`. */
  extraColumns: readonly string[];
  /** At most this many `image-unreferenced` infos one by one; the rest are counted in one more. */
  maxUnreferencedReports: number;
  /** A CSV larger than this, in bytes, is not read at all (`row-limit`); see `MAX_CSV_BYTES`. */
  maxCsvBytes: number;
  /** At most this many problems are reported per file, the last one counting the rest; see `MAX_PROBLEMS`. */
  maxProblems: number;
}

export const DEFAULT_MAX_ROWS = 10_000;
export const DEFAULT_MAX_IMAGE_MB = 10;
/** Jumio's limit for an image's width and height. */
export const DEFAULT_MAX_IMAGE_PIXELS = 8_000;
export const BYTES_PER_MB = 1_000_000;
/**
 * The default `maxCsvBytes`: 64 MB. 10,000 rows of the seed's 19 columns take about 2.3 MB; a
 * file thirty times that is no batch, and reading it whole could exhaust an editor's memory.
 */
export const MAX_CSV_BYTES = 64 * BYTES_PER_MB;
/** The default `maxProblems`: more than anyone reads, few enough for an editor to show at once. */
export const MAX_PROBLEMS = 1_000;

function positiveInteger(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? Math.floor(value) : fallback;
}

/** Fills in defaults and drops values that make no sense, so callers may pass raw settings. */
export function lintOptions(partial: Partial<LintOptions> = {}): LintOptions {
  return {
    maxRows: positiveInteger(partial.maxRows, DEFAULT_MAX_ROWS),
    maxImageBytes: positiveInteger(partial.maxImageBytes, DEFAULT_MAX_IMAGE_MB * BYTES_PER_MB),
    maxImagePixels: positiveInteger(partial.maxImagePixels, DEFAULT_MAX_IMAGE_PIXELS),
    now: typeof partial.now === 'number' && Number.isFinite(partial.now) ? partial.now : Date.now(),
    extraColumns: Array.isArray(partial.extraColumns) ? partial.extraColumns.filter((c) => typeof c === 'string' && c.length > 0) : [],
    maxUnreferencedReports: positiveInteger(partial.maxUnreferencedReports, 100),
    maxCsvBytes: positiveInteger(partial.maxCsvBytes, MAX_CSV_BYTES),
    maxProblems: positiveInteger(partial.maxProblems, MAX_PROBLEMS),
  };
}
