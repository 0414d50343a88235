import type { ServerResponse } from 'node:http';
import {
  type GatewayResponseType,
  renderGatewayResponse,
} from '../../shared/adapters/apigateway/gateway-responses.js';
import { isHopByHop } from './hop-by-hop.js';
import type { IntegrationResponse } from './proxy-result.js';

/** The `x-amzn-ErrorType` API Gateway sets beside each of its own answers the local gateway gives. */
const ERROR_TYPES = {
  UNAUTHORIZED: 'UnauthorizedException',
  ACCESS_DENIED: 'AccessDeniedException',
  MISSING_AUTHENTICATION_TOKEN: 'MissingAuthenticationTokenException',
  AUTHORIZER_FAILURE: 'AuthorizerFailureException',
  AUTHORIZER_CONFIGURATION_ERROR: 'AuthorizerConfigurationException',
  API_CONFIGURATION_ERROR: 'InternalServerErrorException',
  INTEGRATION_FAILURE: 'InternalServerErrorException',
  INTEGRATION_TIMEOUT: 'InternalServerErrorException',
  REQUEST_TOO_LARGE: 'RequestTooLargeException',
  THROTTLED: 'ThrottlingException',
  DEFAULT_4XX: 'BadRequestException',
  DEFAULT_5XX: 'InternalServerErrorException',
} as const satisfies Partial<Record<GatewayResponseType, string>>;

/** The gateway responses local mode has occasion to give (no IAM auth, usage plans or WAF here). */
export type LocalGatewayResponseType = keyof typeof ERROR_TYPES;

/**
 * Writes one answer with the headers API Gateway adds to every answer (its request id). An answer to
 * HEAD never has a body, but announces the Content-Length the GET's would have (RFC 9110 §9.3.2),
 * whoever produced it.
 */
export class Reply {
  private readonly noBody: boolean;

  constructor(
    private readonly res: ServerResponse,
    private readonly requestId: string,
    private readonly method: string,
  ) {
    this.noBody = method === 'HEAD';
  }

  /** A JSON document the gateway serves itself (the development issuer's JWKS). */
  json(status: number, document: unknown): void {
    const body = JSON.stringify(document);
    this.res.writeHead(status, {
      'x-amzn-RequestId': this.requestId,
      'x-request-id': this.requestId,
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(body),
    });
    this.res.end(this.noBody ? undefined : body);
  }

  /** A ready-made answer (the docs site's), with the request id added. */
  raw(status: number, headers: Record<string, string>, body: string | Buffer): void {
    this.res.writeHead(status, {
      ...headers,
      'x-amzn-RequestId': this.requestId,
      'x-request-id': this.requestId,
      'content-length': Buffer.byteLength(body),
    });
    this.res.end(this.noBody ? undefined : body);
  }

  /** One of API Gateway's own answers (`gateway-responses.ts`), as the deployed stack renders it. */
  gatewayResponse(type: LocalGatewayResponseType, said: { reason?: string; message?: string } = {}): void {
    const rendered = renderGatewayResponse(type, {
      requestId: this.requestId,
      httpMethod: this.method,
      ...said,
    });
    this.res.writeHead(rendered.statusCode, {
      'x-amzn-RequestId': this.requestId,
      'x-request-id': this.requestId,
      'content-type': rendered.contentType,
      'content-length': Buffer.byteLength(rendered.body),
      'x-amzn-ErrorType': ERROR_TYPES[type],
    });
    this.res.end(this.noBody ? undefined : rendered.body);
  }

  /** An integration's answer (a Lambda's proxy result or an HTTP backend's response). */
  integration(response: IntegrationResponse): void {
    const { res } = this;
    for (const [name, values] of Object.entries(response.headers)) {
      // Hop-by-hop and length headers are the server's business, as behind API Gateway.
      if (isHopByHop(name) || name.toLowerCase() === 'content-length') continue;
      res.setHeader(name, values);
    }
    res.setHeader('x-amzn-RequestId', this.requestId);
    res.setHeader('x-request-id', this.requestId);
    // 204 and 304 have no body and announce no length; HEAD has none but announces the GET's.
    const bodiless = response.statusCode === 204 || response.statusCode === 304;
    const length = response.announcedLength === undefined ? response.body.length : response.announcedLength;
    if (!bodiless && length !== null) res.setHeader('content-length', length);
    res.writeHead(response.statusCode);
    res.end(this.noBody || bodiless ? undefined : response.body);
  }
}
