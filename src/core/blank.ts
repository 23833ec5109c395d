// Kept apart from csv.ts (which loads csv-parse) so that the preview's browser bundle, which
// reaches it through edits.ts, carries no csv-parse and no Node Buffer.

/**
 * Cell values of which none holds anything but spaces: the one test of a blank row, for the lint
 * and its fix. (Trimming the spaces, as the whitespace fix does, must not turn a row into a blank
 * one behind the lint's back: a file whose only row is spaces has no rows.)
 */
export function isBlankRow(values: readonly string[]): boolean {
  for (let i = 0; i < values.length; i++) if (values[i] !== '' && values[i].trim() !== '') return false;
  return true;
}

