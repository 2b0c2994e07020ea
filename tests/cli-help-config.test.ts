import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type CliCommand, COMMANDS } from '@seqloom/cli';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reversePairs, tempFolder, writeLines } from './helpers/fixtures.js';
import { seqloom, seqloomInProcess } from './helpers/run-seqloom.js';

let dir: string;
let cleanup: () => Promise<void>;
let data: string;
beforeAll(async () => {
  ({ dir, cleanup } = await tempFolder('help'));
  data = await writeLines(dir, 'pairs.tsv', reversePairs(40, 8));
});
afterAll(() => cleanup());

const squash = (text: string) => text.replace(/\s+/g, ' ');

function leaves(commands: readonly CliCommand[], path: string[] = []): [string[], CliCommand][] {
  return commands.flatMap((c) => (c.subcommands ? leaves(c.subcommands, [...path, c.name]) : [[[...path, c.name], c] as [string[], CliCommand]]));
}

describe('--help', () => {
  it('seqloom --help lists every command (real binary)', async () => {
    const run = await seqloom(['--help']);
    expect(run.code).toBe(0);
    for (const c of COMMANDS) expect(run.stdout).toContain(`seqloom ${c.name}`);
  });

  it('a bare `seqloom` shows the commands on stderr and exits 2', async () => {
    const run = await seqloomInProcess([]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('Commands:');
  });

  for (const [path, command] of leaves(COMMANDS)) {
    it(`seqloom ${path.join(' ')} --help lists every option with its default`, async () => {
      const run = await seqloomInProcess([...path, '--help']);
      expect(run.code).toBe(0);
      const help = squash(run.stdout);
      for (const spec of command.options) {
        expect(help.includes(`--${spec.name} `) || help.includes(`--${spec.name},`), spec.name).toBe(true);
        const label = spec.defaultText ?? (spec.default === undefined ? undefined : String(spec.default));
        if (label !== undefined) expect(help, spec.name).toContain(squash(`[default: ${label}]`));
      }
      for (const global of ['--config', '--quiet', '--log-json', '--verbose']) expect(help).toContain(global);
    });
  }
});

describe('--config', () => {
  it('reads YAML and JSON option files; flags override them', async () => {
    const yaml = join(dir, 'run.yaml');
    await writeFile(yaml, 'hidden: 24\nembedding: 12\nlearning_rate: 0.02\nmax-steps: 1\nbatch-size: 8\nbackend: wasm\n');
    const out = join(dir, 'from-yaml');
    const run = await seqloomInProcess(['train', '--data', data, '--out', out, '--config', yaml, '--embedding', '10', '-q']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const saved = JSON.parse(await readFile(join(out, 'run.json'), 'utf8')).options;
    expect(saved).toMatchObject({ hidden: 24, embedding: 10, lr: 0.02, 'max-steps': 1, 'batch-size': 8 });

    const json = join(dir, 'run.json');
    await writeFile(json, JSON.stringify({ decoder: 'beam', 'beam-width': 3, 'n-best': 2 }));
    const generated = await seqloomInProcess(['generate', '-m', out, '--config', json, '--json', '-q', 'abc']);
    expect(generated.code).toBe(0);
    expect((JSON.parse(generated.stdout).nBest as unknown[]).length).toBe(2);
  });

  it('names unknown keys, bad values and unreadable files', async () => {
    const typo = join(dir, 'typo.yaml');
    await writeFile(typo, 'hiden: 24\n');
    const run = await seqloomInProcess(['train', '--data', data, '--config', typo]);
    expect(run.code).toBe(2);
    expect(run.stderr.trim()).toBe(`seqloom: ${typo}: unknown option "hiden" for \`seqloom train\`; did you mean "hidden"? (see seqloom train --help)`);
    const badValue = join(dir, 'bad.json');
    await writeFile(badValue, '{"dropout": 2}');
    const value = await seqloomInProcess(['train', '--data', data, '--config', badValue]);
    expect(value.code).toBe(2);
    expect(value.stderr.trim()).toBe(`seqloom: --dropout (in ${badValue}) must be a number in [0, 1), got 2`);
    const broken = join(dir, 'broken.json');
    await writeFile(broken, '{"hidden": ');
    const parse = await seqloomInProcess(['train', '--data', data, '--config', broken]);
    expect(parse.code).toBe(1);
    expect(parse.stderr).toMatch(new RegExp(`^seqloom: --config ${broken}: not valid JSON`));
  });
});
