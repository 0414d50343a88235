import { type ChildProcess, spawn } from 'node:child_process';

/**
 * `npm start` as a child process, for the e2e files that run it as a user does: spawned in its own
 * process group (so cleanup reaches DynamoDB Local too), its output collected, stopped by signal.
 */

/** The repository root. */
export const ROOT = new URL('../../', import.meta.url);
/** tsx's CLI, to run a script as `npm start` / `npm run …` do, without npm in between. */
export const TSX_CLI = new URL('node_modules/tsx/dist/cli.mjs', ROOT).pathname;
const START = 'local/start.ts';

export interface Started {
  child: ChildProcess;
  /** Everything the process wrote to stdout and stderr so far. */
  output: () => string;
  /** Settles with the exit code once the process ended. */
  exited: Promise<number | null>;
}

const children: ChildProcess[] = [];

/**
 * Spawns the start script (its own process group, so cleanup can reach DynamoDB Local too), by
 * default through tsx; `via: 'npm'` runs `npm start` itself, as the README says.
 */
export function spawnStart(env: Record<string, string>, via: 'tsx' | 'npm' = 'tsx'): Started {
  const [command, args] = via === 'npm' ? ['npm', ['start']] : [process.execPath, [TSX_CLI, START]];
  const child = spawn(command, args, {
    cwd: ROOT,
    env: { ...process.env, ...env },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

/** Waits until the output matches `pattern`; throws with the output if the process exits first or time runs out. */
export async function waitForOutput(started: Started, pattern: RegExp, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!pattern.test(started.output())) {
    if (started.child.exitCode !== null) throw new Error(`start exited early:\n${started.output()}`);
    if (Date.now() > deadline) throw new Error(`start did not get ready:\n${started.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** `npm start` prints this once it serves: the two-line curl example. */
export const READY = /KEY=\$\(/;

/** SIGTERM to the tsx process only: it relays the signal to the script, as a terminal's Ctrl-C reaches both. */
export async function stop(started: Started): Promise<number | null> {
  started.child.kill('SIGTERM');
  return started.exited;
}

/** Ctrl-C in a terminal: SIGINT to the whole process group (npm, tsx, the script, DynamoDB Local). */
export async function interrupt(started: Started): Promise<void> {
  process.kill(-(started.child.pid as number), 'SIGINT');
  await started.exited;
}

/** SIGKILL to the process group of every start spawned by this file that is still running (afterAll). */
export function killStarted(): void {
  for (const child of children.splice(0)) {
    if (child.exitCode === null && child.pid !== undefined) {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
  }
}
