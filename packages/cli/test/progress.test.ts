import { describe, expect, it } from 'vitest';
import { JsonProgressLog } from '../src/progress/json-progress-log.js';
import { PlainProgressLog } from '../src/progress/plain-progress-log.js';
import { estimateRemaining, formatDuration, formatRate } from '../src/progress/progress-events.js';
import { TtyProgressBar } from '../src/progress/tty-progress-bar.js';

function sink(columns = 100, isTTY = false) {
  let text = '';
  return {
    write: (t: string) => void (text += t),
    columns,
    isTTY,
    get text() {
      return text;
    },
  };
}

describe('progress formatting', () => {
  it('formats durations, rates and the ETA', () => {
    expect(formatDuration(5)).toBe('5s');
    expect(formatDuration(83)).toBe('1m23s');
    expect(formatDuration(3700)).toBe('1h01m');
    expect(formatRate(950)).toBe('950');
    expect(formatRate(12345)).toBe('12.3k');
    expect(estimateRemaining({ totalSteps: 100 }, 25, 10_000)).toBeCloseTo(30, 10);
    expect(estimateRemaining({ totalSteps: 100, startStep: 20 }, 30, 10_000)).toBeCloseTo(70, 10);
    expect(estimateRemaining({ totalSteps: 100, maxMinutes: 1 }, 1, 10_000)).toBeCloseTo(50, 10);
    expect(estimateRemaining({}, 10, 1000)).toBeUndefined();
  });
});

describe('PlainProgressLog', () => {
  it('prints the first step, then at most one line per interval, and the last step', () => {
    let now = 0;
    const out = sink();
    const log = new PlainProgressLog(out, () => now, 10_000);
    log.start({ totalSteps: 5, epochs: 1 });
    for (let step = 1; step <= 5; step++) {
      now = step * 3000;
      log.step({ step, epoch: 1, loss: 1 / step, learningRate: 0.001, tokensPerSecond: 2000 });
    }
    const lines = out.text.trim().split('\n');
    expect(lines.map((l) => l.split('  ')[0])).toEqual(['step 1/5', 'step 5/5']);
    expect(lines[0]).toBe('step 1/5  epoch 1/1  loss 1.0000  lr 0.00100  2000 tok/s  eta 12s');
    log.evaluation({ step: 5, epoch: 1, loss: 0.5, perplexity: Math.exp(0.5), accuracy: 0.8, best: true });
    expect(out.text).toContain('eval  step 5  valid loss 0.5000  ppl 1.65  accuracy 80.0%  (best)\n');
  });
});

describe('TtyProgressBar', () => {
  it('redraws one line in place with bar, percentage, loss, rate and ETA, and clears it', () => {
    let now = 0;
    const out = sink(120, true);
    const bar = new TtyProgressBar(out, () => now);
    bar.start({ totalSteps: 10, epochs: 2 });
    now = 1000;
    bar.step({ step: 5, epoch: 1, loss: 2.5, tokensPerSecond: 15000 });
    expect(out.text).toBe('\r\x1b[2Kepoch 1/2 [###############---------------] 50% step 5/10 loss 2.500 15.0k tok/s ETA 1s');
    now = 1050;
    bar.step({ step: 6, epoch: 1, loss: 2.4 });
    expect(out.text.split('\r').length).toBe(2); // throttled: no redraw within 100 ms
    bar.note('saved');
    expect(out.text).toContain('\r\x1b[2Ksaved\n');
    bar.finish();
    expect(out.text.endsWith('\r\x1b[2K')).toBe(true);
  });
});

describe('JsonProgressLog', () => {
  it('writes one JSON object per event', () => {
    const out = sink();
    const log = new JsonProgressLog(out);
    log.start({ totalSteps: 3 });
    log.step({ step: 1, epoch: 1, loss: 0.5 });
    log.checkpoint('/m/last', 1);
    const events = out.text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(events).toEqual([
      { event: 'start', totalSteps: 3 },
      { event: 'step', step: 1, epoch: 1, loss: 0.5 },
      { event: 'checkpoint', folder: '/m/last', step: 1 },
    ]);
  });
});
