/** Builds the playground page into `outDir` (default packages/cli/playground-dist); resolves to each file's size in bytes. */
export declare function buildPlayground(outDir?: string): Promise<Record<string, number>>;
