/** The pure core of Jumio Batch: no vscode, no file system, no network. */
export * from './rules';
export * from './problem';
export * from './options';
export * from './images';
export * from './lint';
export * from './limits';
export { KNOWN_COLUMNS, REQUIRED_COLUMNS, IMAGE_COLUMNS, CONSENT_COLUMNS, PREPARED_DATA_FIELDS, DEFAULT_WORKFLOW_KEY, nearestColumn } from './columns';
export * from './split';
export * from './upload';
export * from './edits';
export { decodeCsv, LineIndex } from './text';
export * from './columnDocs';
export * from './pool';
export * from './batchId';
export * from './shell';
export * from './connection';
export * from './statusText';
export * from './outcome';
