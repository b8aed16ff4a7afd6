import cliProgress from 'cli-progress';

export interface Progress {
  /** Reports `done` of `total`. */
  update: (done: number, total: number) => void;
  /** Ends the report (clears the bar). */
  stop: () => void;
}

export interface ProgressOptions {
  /** The verb of the plain lines: "imported" gives "imported 120/500 rows". */
  verb: string;
  /** What is counted: "rows", "entries". */
  unit: string;
  /** Whether to draw a bar. @default process.stdout.isTTY */
  tty?: boolean;
  /** Where plain lines go. @default process.stderr, so stdout stays clean for JSON and CSV */
  lines?: NodeJS.WritableStream;
}

/**
 * Progress of a long operation: a bar on a terminal, plain lines ("imported 120/500 rows") at
 * every tenth of the way otherwise, for logs and CI. The bar is cleared when done, so the
 * command's output stands alone.
 */
export function progress(options: ProgressOptions): Progress {
  const tty = options.tty ?? Boolean(process.stdout.isTTY);
  if (tty) {
    const bar = new cliProgress.SingleBar(
      {
        format: `${options.verb} {bar} {value}/{total} ${options.unit}`,
        stream: process.stdout,
        clearOnComplete: true,
        hideCursor: true,
      },
      cliProgress.Presets.shades_classic,
    );
    let started = false;
    return {
      update: (done, total) => {
        if (!started) {
          bar.start(total, 0);
          started = true;
        }
        bar.update(done);
      },
      stop: () => {
        if (started) bar.stop();
      },
    };
  }
  const out = options.lines ?? process.stderr;
  let step = -1;
  return {
    update: (done, total) => {
      const now = total === 0 ? 10 : Math.floor((done * 10) / total);
      if (now === step) return;
      step = now;
      out.write(`${options.verb} ${done}/${total} ${options.unit}\n`);
    },
    stop: () => {},
  };
}
