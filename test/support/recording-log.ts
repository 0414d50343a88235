/** One line as a handler or service logged it. */
export interface LogLine {
  level: 'info' | 'warn' | 'error';
  message: string;
  attributes: Record<string, unknown>;
}

/**
 * Collects log lines as they are written; fits the authorizer's `DecisionLog` and the notifier's
 * `RunLogger` (the same three methods), so tests can read what would have reached CloudWatch.
 */
export class RecordingLog {
  readonly lines: LogLine[] = [];
  info(message: string, attributes: Record<string, unknown>) {
    this.lines.push({ level: 'info', message, attributes });
  }
  warn(message: string, attributes: Record<string, unknown>) {
    this.lines.push({ level: 'warn', message, attributes });
  }
  error(message: string, attributes: Record<string, unknown>) {
    this.lines.push({ level: 'error', message, attributes });
  }
  /** Every line as JSON, errors as `Name: message` — what a secret-leak check searches. */
  text(): string {
    return JSON.stringify(this.lines, (_key, value) =>
      value instanceof Error ? `${value.name}: ${value.message}` : value,
    );
  }
}
