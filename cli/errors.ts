/**
 * The CLI's failures, each with its exit code and a message that says what to do. Commands throw
 * them; `main.ts` prints the message on stderr and exits with the code. Anything else is a bug.
 */

/** Exit codes: 0 success, 1 the API refused (or could not be reached, or a check failed), 2 bad usage. */
export const EXIT = { ok: 0, refused: 1, usage: 2 } as const;

export abstract class CliError extends Error {
  abstract readonly exitCode: number;
}

/** The command line is wrong: a missing or bad option, or a refusal to act without `--yes`. */
export class UsageError extends CliError {
  readonly exitCode = EXIT.usage;
}

/** The API answered with a problem (RFC 9457): its title and detail, and each field problem. */
export class ApiRefusedError extends CliError {
  readonly exitCode = EXIT.refused;
  constructor(
    readonly status: number,
    readonly problem: {
      title?: string;
      detail?: string;
      errors?: Array<{ detail: string; pointer?: string; parameter?: string }>;
    },
    hint?: string,
  ) {
    const lines = [
      `${problem.title ?? 'Error'} (${status}): ${problem.detail ?? 'the API refused the request.'}`,
    ];
    for (const error of problem.errors ?? []) {
      const where = error.pointer !== undefined ? error.pointer || '(body)' : `?${error.parameter}`;
      lines.push(`  ${where}: ${error.detail}`);
    }
    if (hint) lines.push(hint);
    super(lines.join('\n'));
  }
}

/** The API could not be reached, or answered with something that is not the keygate API. */
export class ConnectionError extends CliError {
  readonly exitCode = EXIT.refused;
}

/** What was checked (e.g. a catalog file) is not valid; the details are already printed. */
export class CheckFailedError extends CliError {
  readonly exitCode = EXIT.refused;
}
