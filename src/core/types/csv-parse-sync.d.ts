// The purity fence's view of csv-parse (src/core/tsconfig.json maps 'csv-parse/sync' here):
// the package's own typings pull in all of @types/node, which would let Node globals such as
// `process` or `Buffer` compile inside src/core. Only what core uses is declared.
export interface Options {
  relax_column_count?: boolean;
  skip_empty_lines?: boolean;
  record_delimiter?: string | string[];
}

export declare function parse(input: string | Uint8Array, options?: Options): string[][];
