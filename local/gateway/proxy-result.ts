/** An integration's answer, ready to write: the status, every header with all its values, the body. */
export interface IntegrationResponse {
  statusCode: number;
  headers: Record<string, string[]>;
  body: Buffer;
  /**
   * The Content-Length to announce when it is not the body's: an HTTP backend answers HEAD with the
   * length its GET's body would have and no body (RFC 9110 §9.3.2) — `null` when it announced none.
   * Unset: the body's own length.
   */
  announcedLength?: number | null;
}

/**
 * Reads a Lambda proxy result as API Gateway does: `statusCode`, `headers` and `multiValueHeaders`
 * merged (a name in `multiValueHeaders` replaces the same name in `headers`), and a text or base64
 * body. A string: what is malformed, for the log (API Gateway answers such a result with 502).
 */
export function proxyResult(result: unknown): IntegrationResponse | string {
  if (typeof result !== 'object' || result === null) return 'not an object';
  const { statusCode, headers, multiValueHeaders, body, isBase64Encoded } = result as Record<string, unknown>;
  if (
    typeof statusCode !== 'number' ||
    !Number.isInteger(statusCode) ||
    statusCode < 100 ||
    statusCode > 599
  ) {
    return 'statusCode is not an HTTP status';
  }
  if (body !== undefined && body !== null && typeof body !== 'string') return 'body is not a string';
  if (isBase64Encoded !== undefined && typeof isBase64Encoded !== 'boolean')
    return 'isBase64Encoded is not a boolean';
  const merged: Record<string, string[]> = {};
  const lowerNames = new Map<string, string>();
  const put = (name: string, values: string[]) => {
    const existing = lowerNames.get(name.toLowerCase());
    if (existing) delete merged[existing];
    lowerNames.set(name.toLowerCase(), name);
    merged[name] = values;
  };
  if (headers !== undefined && headers !== null) {
    if (typeof headers !== 'object') return 'headers is not an object';
    for (const [name, value] of Object.entries(headers)) {
      if (value === null || value === undefined) continue;
      if (typeof value === 'object') return `headers.${name} is not a scalar`;
      put(name, [String(value)]);
    }
  }
  if (multiValueHeaders !== undefined && multiValueHeaders !== null) {
    if (typeof multiValueHeaders !== 'object') return 'multiValueHeaders is not an object';
    for (const [name, values] of Object.entries(multiValueHeaders)) {
      if (!Array.isArray(values)) return `multiValueHeaders.${name} is not a list`;
      put(name, values.map(String));
    }
  }
  const text = typeof body === 'string' ? body : '';
  return {
    statusCode,
    headers: merged,
    body: isBase64Encoded ? Buffer.from(text, 'base64') : Buffer.from(text, 'utf8'),
  };
}
