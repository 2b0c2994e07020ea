import { builtinModules } from 'node:module';
import { build, type Metafile, type Plugin } from 'esbuild';
import { REPO_ROOT } from './run-seqloom.js';

const BUILTINS = new Set(builtinModules);

/** What bundling some entries for a browser found: Node imports (by importer), the files bundled, the errors. */
export interface BrowserBundle {
  nodeImports: string[];
  inputs: string[];
  errors: string[];
  bytes: number;
}

/**
 * Records every import of a Node built-in module (`node:fs`, `fs`, …) by
 * seqloom's own sources. Third-party packages are left to esbuild: one that
 * maps its Node branches away (the "browser" field: `"fs": false`) bundles,
 * any other Node import fails the build.
 */
function nodeImportTrap(found: string[]): Plugin {
  return {
    name: 'node-import-trap',
    setup(pluginBuild) {
      pluginBuild.onResolve({ filter: /^[^./]/ }, (args) => {
        const bare = args.path.replace(/^node:/, '').split('/')[0]!;
        if (!args.path.startsWith('node:') && !BUILTINS.has(bare)) return undefined;
        if (args.importer.includes('/node_modules/')) return undefined;
        found.push(`${args.path} imported by ${args.importer.replace(REPO_ROOT, '')}`);
        return { path: args.path, external: true };
      });
    },
  };
}

/**
 * Bundles `source` (an ES module importing the entries) as esbuild does for
 * a page (`platform: 'browser'`, the "source" condition so the TypeScript
 * sources are read) and reports any Node import on the way.
 */
export async function bundleForBrowser(source: string, platform: 'browser' | 'neutral' = 'browser'): Promise<BrowserBundle> {
  const nodeImports: string[] = [];
  try {
    const result = await build({
      stdin: { contents: source, resolveDir: `${REPO_ROOT}tests`, loader: 'ts' },
      bundle: true,
      write: false,
      platform,
      format: 'esm',
      conditions: ['source'],
      mainFields: platform === 'neutral' ? ['module', 'main'] : undefined,
      logLevel: 'silent',
      metafile: true,
      plugins: [nodeImportTrap(nodeImports)],
    });
    const meta = result.metafile as Metafile;
    return { nodeImports, inputs: Object.keys(meta.inputs), errors: [], bytes: result.outputFiles[0]!.contents.length };
  } catch (error) {
    const errors = (error as { errors?: { text: string }[] }).errors?.map((e) => e.text) ?? [String(error)];
    return { nodeImports, inputs: [], errors, bytes: 0 };
  }
}
