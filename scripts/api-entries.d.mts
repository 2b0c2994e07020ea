/** The repository's root folder. */
export declare const ROOT: string;
/** The folders under packages/ that publish an @seqloom/* package. */
export declare const PACKAGES: string[];
/** Every public entry point: its import name (`@seqloom/seq2seq/browser`) and its TypeScript source. */
export declare function apiEntries(): { name: string; file: string }[];
