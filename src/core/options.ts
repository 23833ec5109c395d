/** Lint limits and knobs. Defaults follow the batch format; every one can be set by the user. */
export interface LintOptions {
  /** Most data rows a batch may hold (Jumio: 10,000). */
  maxRows: number;
  /** Largest image, in bytes, before `image-too-large` (10 MB). */
  maxImageBytes: number;
  /** "Now", as epoch milliseconds, for future timestamps and birth dates. */
  now: number;
  /** Extra header names a workflow needs, accepted without `unknown-column`. */
  extraColumns: readonly string[];
  /** At most this many `image-unreferenced` infos one by one; the rest are counted in one more. */
  maxUnreferencedReports: number;
}

export const DEFAULT_MAX_ROWS = 10_000;
export const DEFAULT_MAX_IMAGE_MB = 10;
export const BYTES_PER_MB = 1_000_000;

function positiveInteger(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? Math.floor(value) : fallback;
}

/** Fills in defaults and drops values that make no sense, so callers may pass raw settings. */
export function lintOptions(partial: Partial<LintOptions> = {}): LintOptions {
  return {
    maxRows: positiveInteger(partial.maxRows, DEFAULT_MAX_ROWS),
    maxImageBytes: positiveInteger(partial.maxImageBytes, DEFAULT_MAX_IMAGE_MB * BYTES_PER_MB),
    now: typeof partial.now === 'number' && Number.isFinite(partial.now) ? partial.now : Date.now(),
    extraColumns: Array.isArray(partial.extraColumns) ? partial.extraColumns.filter((c) => typeof c === 'string' && c.length > 0) : [],
    maxUnreferencedReports: positiveInteger(partial.maxUnreferencedReports, 100),
  };
}
