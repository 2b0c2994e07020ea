import { writeFile } from 'node:fs/promises';
import { builtinDatasets } from '@seqloom/datasets';
import type { CommandContext } from '../cli-command.js';
import { loadModelFromOptions } from '../generate/load-model.js';
import { resolvePath } from '../text-inputs.js';
import { makeReport, writeChartPngs } from './make-report.js';

/** Runs `seqloom report`. */
export async function runReport(ctx: CommandContext): Promise<number> {
  const o = ctx.options;
  o.model = ctx.positionals.model;
  const started = ctx.io.now();
  const trained = await loadModelFromOptions(ctx);
  try {
    const data = o.data ? { data: o.data as string, datasets: builtinDatasets, cwd: ctx.io.cwd } : undefined;
    const report = await makeReport(trained.dir, { trained, examples: o.examples as number, beamWidth: o.beamWidth as number, ...(data ? { data } : {}) });
    const out = resolvePath(ctx.io, o.out as string);
    await writeFile(out, report.html);
    const pngs = o.png ? await writeChartPngs(report.charts, resolvePath(ctx.io, o.png as string)) : [];
    const seconds = (ctx.io.now() - started) / 1000;
    if (ctx.out.logJson) {
      ctx.out.json({
        event: 'report',
        file: out,
        bytes: Buffer.byteLength(report.html),
        charts: report.charts.length,
        examples: report.examples.length,
        records: report.records.length,
        png: pngs,
        seconds,
      });
    } else {
      ctx.out.result(
        `report written to ${out} (${Math.round(Buffer.byteLength(report.html) / 1024)} KB, ${report.charts.length} charts, ${report.examples.length} examples, ${seconds.toFixed(1)} s)`,
      );
      for (const path of pngs) ctx.out.result(`chart: ${path}`);
    }
    return 0;
  } finally {
    await trained.close();
  }
}
