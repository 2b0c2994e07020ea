#!/usr/bin/env node
// `pnpm api-docs` (or `pnpm run docs`; a bare `pnpm docs` is pnpm's own command): the API reference of every public entry point of the
// @seqloom/* packages, from their TSDoc comments, with TypeDoc, into
// api-docs/ (not committed). `tests/api-docs.test.ts` checks that every
// exported name has a comment.
import { join } from 'node:path';
import { Application } from 'typedoc';
import { apiEntries, ROOT } from './api-entries.mjs';

const entries = apiEntries();
const nameOf = new Map(entries.map((e) => [e.file, e.name]));
const out = process.argv[2] ?? join(ROOT, 'api-docs');

const app = await Application.bootstrapWithPlugins({
  name: 'seqloom',
  entryPoints: entries.map((e) => e.file),
  entryPointStrategy: 'resolve',
  tsconfig: join(ROOT, 'tsconfig.docs.json'),
  readme: join(ROOT, 'README.md'),
  out,
  excludePrivate: true,
  excludeInternal: true,
  githubPages: false,
  disableGit: true,
  sourceLinkTemplate: 'https://github.com/seqloom/seqloom/blob/main/{path}#L{line}',
  validation: { notExported: false, invalidLink: true, notDocumented: false },
  logLevel: 'Warn',
});
const project = await app.convert();
if (project === undefined) {
  console.error('docs: TypeDoc could not convert the packages (see above)');
  process.exit(1);
}
// modules are named as users import them (`@seqloom/seq2seq/browser`), not by their file's path
for (const module of project.children ?? []) {
  const file = module.sources?.[0]?.fullFileName;
  const name = file === undefined ? undefined : nameOf.get(file);
  if (name !== undefined) module.name = name;
}
await app.generateDocs(project, out);
console.log(`docs: ${entries.length} entry points → ${out}/index.html`);
