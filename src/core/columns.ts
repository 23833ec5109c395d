/** What the batch format knows about its columns (shared/spec/batch-format.md, "Columns"). */
export const REQUIRED_COLUMNS = ['workflowDefinitionKey', 'customerInternalReference'] as const;

export const IMAGE_COLUMNS = ['frontImage', 'backImage', 'faceImage'] as const;

export const CONSENT_COLUMNS = [
  'userConsentUserIp',
  'userConsentUserLocationCountry',
  'userConsentUserLocationState',
  'userConsentConsentObtained',
  'userConsentConsentObtainedAt',
] as const;

export const PREPARED_DATA_FIELDS = [
  'firstName', 'lastName', 'phoneNumber', 'email', 'dateOfBirth',
  'address.line1', 'address.line2', 'address.postalCode', 'address.city', 'address.subdivision', 'address.country',
] as const;

export const PREPARED_DATA_PREFIX = 'preparedData.';

export const KNOWN_COLUMNS: readonly string[] = [
  ...REQUIRED_COLUMNS,
  ...IMAGE_COLUMNS,
  ...CONSENT_COLUMNS,
  ...PREPARED_DATA_FIELDS.map((f) => PREPARED_DATA_PREFIX + f),
];

/** The seed's default workflow key, used when a missing column is added. */
export const DEFAULT_WORKFLOW_KEY = '10015';

function key(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
      if (cur[j] < best) best = cur[j];
    }
    if (best > limit) return limit + 1;
    prev = cur;
  }
  return prev[b.length];
}

/**
 * The known column a header name most likely meant: same letters in another case or with other
 * separators, a `preparedData.` field without its prefix, or a small typo. Undefined when nothing
 * is close enough to be sure.
 */
export function nearestColumn(name: string, known: readonly string[] = KNOWN_COLUMNS): string | undefined {
  const k = key(name);
  if (!k) return undefined;
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of known) {
    const ck = key(candidate);
    const bare = candidate.startsWith(PREPARED_DATA_PREFIX) ? key(candidate.slice(PREPARED_DATA_PREFIX.length)) : undefined;
    if (k === ck || k === bare) return candidate;
    const limit = k.length >= 12 ? 2 : k.length >= 5 ? 1 : 0;
    const d = Math.min(editDistance(k, ck, limit), bare ? editDistance(k, bare, limit) : Infinity);
    if (d <= limit && d < bestDistance) { best = candidate; bestDistance = d; }
  }
  return best;
}
