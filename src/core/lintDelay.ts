// How long an editor waits after a keystroke before it lints an open file again.

/** The shortest wait after a keystroke before an open file is linted again, ms. */
export const MIN_LINT_DELAY_MS = 50;

/**
 * How long to wait after a keystroke before linting an open file again: twice what its last lint
 * took, between `MIN_LINT_DELAY_MS` and `maxMs` (the `debounceMs` setting). A file that lints in
 * a few milliseconds (a few rows) is linted almost at once; a large one still waits long enough
 * that a burst of typing costs one lint, not one per key. Before the first lint, `maxMs`.
 */
export function lintDelay(maxMs: number, lastLintMs: number | undefined): number {
  if (lastLintMs === undefined) return maxMs;
  return Math.min(maxMs, Math.max(MIN_LINT_DELAY_MS, Math.ceil(2 * lastLintMs)));
}
