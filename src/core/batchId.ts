/** Jumio wants a new lower-case UUID v4 as the batch folder's name. */
export const BATCH_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** The one "is this a batch id" check: a lower-case UUID v4, as Jumio names batch folders. */
export function isBatchId(s: unknown): s is string {
  return typeof s === 'string' && BATCH_ID.test(s);
}
