import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CatalogRoute, RouteCatalog } from '../../shared/domain/catalog/route-catalog.js';
import type { ApiIdentity } from '../api-gateway-events.js';
import type { HandlerLoader } from '../functions.js';

/**
 * Where a protected route's requests go, as the config's `integrations` say: the echo Lambda, an
 * HTTP backend (its base URL + the request path), or a Lambda by ARN — which local mode cannot
 * invoke, so it answers from echo and says so once in the log.
 */
export type LocalBackend =
  | { readonly type: 'echo' }
  | { readonly type: 'http'; readonly baseUrl: string }
  | { readonly type: 'lambda'; readonly functionArn: string };

/** The backend of a protected route (`KeygateDeployment.backendOf`, or the config's integrations). */
export type BackendOf = (route: CatalogRoute) => LocalBackend;

/** Everything one request's handling reads: the gateway's options with their defaults applied. */
export interface GatewaySettings {
  readonly api: ApiIdentity;
  readonly catalog: RouteCatalog;
  /** Memoised: each function's handler is created once. */
  readonly loadHandler: HandlerLoader;
  readonly backendOf: BackendOf;
  readonly jwks: (() => unknown) | undefined;
  readonly maxBodyBytes: number;
  readonly integrationTimeoutMs: number;
  readonly authorizerTimeoutMs: number;
  /** Also: one line per request unless `accessLog` is false. */
  readonly log: (line: string) => void;
  /** The keys' prefix: anything shaped like a key in a logged path is redacted (`redactKeys`). */
  readonly keyPrefix: string;
  readonly accessLog: boolean;
  readonly commitBarrier: (() => Promise<void>) | undefined;
  readonly afterManagementCall: (() => void) | undefined;
  readonly localRoutes:
    | ((req: IncomingMessage, res: ServerResponse, path: string) => Promise<boolean>)
    | undefined;
  /** The port clients reach the gateway on (`X-Forwarded-Port`), known once it listens. */
  port: number;
}
