/** An integration or authorizer that did not answer in time (API Gateway's 29 s / 10 s limits). */
export class TimeoutError extends Error {
  constructor(readonly ms: number) {
    super(`timed out after ${ms} ms`);
    this.name = 'TimeoutError';
  }
}

/** `promise`, or a `TimeoutError` after `ms`; the timer never outlives the race. */
export function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  // One promise and one timer (not a race of two promises and a `finally`): it runs twice a request.
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(rejectAfter, ms, reject, ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

const rejectAfter = (reject: (error: TimeoutError) => void, ms: number) => reject(new TimeoutError(ms));

/** An error as one log entry: its stack when it has one. Never given a request's headers or body. */
export function describeError(error: unknown): string {
  return error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : String(error);
}
