import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));

export interface ExampleRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs an example as a user would, in a child process (`node --import tsx examples/NAME/src/main.ts
 * …`), with stdout and stderr piped (not a terminal). Asynchronous: the test server runs in this
 * process and must keep answering while the example waits for it.
 */
export function runExample(name: string, args: string[], env: Record<string, string>): Promise<ExampleRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--conditions=source', '--import', 'tsx', `examples/${name}/src/main.ts`, ...args],
      { cwd: root, env: { ...process.env, NO_COLOR: '1', ...env }, timeout: 60_000 },
      (error, stdout, stderr) => resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr }),
    );
  });
}

/** The rows of a table the examples print: the lines after the `---` rule, up to the next blank line, split on 2+ spaces. */
export function tableRows(stdout: string): string[][] {
  const lines = stdout.split('\n');
  const start = lines.findIndex((l) => /^-+(\s+-+)+\s*$/.test(l));
  if (start < 0) return [];
  const end = lines.findIndex((l, i) => i > start && l.trim() === '');
  return lines.slice(start + 1, end < 0 ? undefined : end).map((l) => l.trim().split(/\s{2,}/));
}
