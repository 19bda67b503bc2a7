import cliProgress from 'cli-progress';

/** Shows the progress of a long task on stderr. */
export interface ProgressReporter {
  /** Reports `done` of `total` items of `stage` (e.g. `write lineage`). */
  update(stage: string, done: number, total: number): void;
  /** Ends the display (idempotent). */
  stop(): void;
}

/** Options of {@link createProgressReporter}. */
export interface ProgressReporterConfig {
  /** Where to draw (default `process.stderr`). */
  stream?: NodeJS.WriteStream;
  /** Writes a status line, when the stream is not a terminal. */
  status: (line: string) => void;
  /** Seconds between status lines when the stream is not a terminal (default 5). */
  intervalSeconds?: number;
  /** Draw nothing at all (e.g. under --json, when stderr is a terminal but quiet is asked). */
  quiet?: boolean;
}

/**
 * A progress bar (cli-progress) when the stream is a terminal; otherwise an occasional status
 * line (`write lineage: 120000/260000 (46%)`) at most every `intervalSeconds`, plus one when a
 * stage starts and ends — logs of CI runs and pipes stay short.
 */
export function createProgressReporter(config: ProgressReporterConfig): ProgressReporter {
  const stream = config.stream ?? process.stderr;
  if (config.quiet) return { update() {}, stop() {} };
  if (stream.isTTY) {
    const bar = new cliProgress.SingleBar(
      {
        stream,
        format: '{stage} [{bar}] {percentage}% | {value}/{total} | {duration_formatted}',
        hideCursor: true,
        clearOnComplete: false,
      },
      cliProgress.Presets.shades_classic,
    );
    let stage = '';
    let started = false;
    return {
      update(next, done, total) {
        if (!started || next !== stage) {
          if (started) bar.stop();
          bar.start(Math.max(total, 1), done, { stage: next });
          stage = next;
          started = true;
        } else {
          if (bar.getTotal() !== total) bar.setTotal(Math.max(total, 1));
          bar.update(done, { stage: next });
        }
      },
      stop() {
        if (started) bar.stop();
        started = false;
      },
    };
  }
  const interval = (config.intervalSeconds ?? 5) * 1000;
  let stage = '';
  let last = 0;
  let lastLine = '';
  const line = (s: string, done: number, total: number) =>
    `${s}: ${done}/${total} (${total > 0 ? Math.floor((100 * done) / total) : 100}%)`;
  return {
    update(next, done, total) {
      const now = Date.now();
      const text = line(next, done, total);
      if (next !== stage || now - last >= interval || (done >= total && text !== lastLine)) {
        config.status(text);
        stage = next;
        last = now;
        lastLine = text;
      }
    },
    stop() {},
  };
}
