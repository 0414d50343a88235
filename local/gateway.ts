import { Agent as HttpAgent, type IncomingMessage, type ServerResponse } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import type { RouteCatalog } from '../shared/domain/catalog/route-catalog.js';
import { DEFAULT_KEY_PREFIX } from '../shared/domain/keys/key-format.js';
import { type ApiIdentity, LOCAL_API } from './api-gateway-events.js';
import type { HandlerLoader, LambdaHandler } from './functions.js';
import { describeError } from './gateway/faults.js';
import { listenOnAll, urlHost } from './gateway/listen.js';
import { handleRequest } from './gateway/pipeline.js';
import type { BackendOf, GatewaySettings } from './gateway/settings.js';

export { PortInUseError } from './gateway/listen.js';
export type { BackendOf, LocalBackend } from './gateway/settings.js';

/**
 * The local API Gateway: a `node:http` server that does what the deployed REST API does for each
 * request — route it from the catalog, run the Lambda REQUEST authorizer, evaluate the IAM policy it
 * returns against the method ARN, pass its context on, and invoke the integration: the management
 * Lambda, the route's HTTP backend (proxied for real), or echo. When the gateway itself rejects a
 * request it answers with the deployed gateway responses' bodies. This module is its lifecycle; the
 * request pipeline and its steps live in `gateway/`.
 */

export interface LocalGatewayOptions {
  /** TCP port; 0 (the default) picks a free one. */
  port?: number;
  /** Addresses to listen on, all on the same port. Default: both loopbacks, so IPv4 and IPv6 clients work. */
  hosts?: string[];
  /** The routes, as the stack builds them. */
  catalog: RouteCatalog;
  /** Creates a function's handler (`functionLoader` in `functions.ts`); called once per function. */
  loadHandler: HandlerLoader;
  /** The backend of each protected route, from the config's integrations. Default: echo for every one. */
  backendOf?: BackendOf;
  /** The JSON Web Key Set served at `GET /.well-known/jwks.json` (the local development issuer's keys). */
  jwks?: () => unknown;
  api?: ApiIdentity;
  /** API Gateway's payload limit (10 MB); larger bodies get 413, larger backend answers 502. */
  maxBodyBytes?: number;
  /** API Gateway's integration timeout (29 s); a slower integration or HTTP backend gets 504. */
  integrationTimeoutMs?: number;
  authorizerTimeoutMs?: number;
  /** Access and fault log; never receives credentials. Default: silent. */
  log?: (line: string) => void;
  /** One log line per request (method, path, status, time). Default: true when `log` is given. */
  accessLog?: boolean;
  /** The keys' prefix, so that a key sent in a path is redacted from the access line. Default `wsk-v1-`. */
  keyPrefix?: string;
  /**
   * Awaited after a management write (any method but GET, HEAD and OPTIONS) and before its answer:
   * local mode's wait for DynamoDB Local's queued commit (`dynamodb-commit-barrier.ts`). If it fails,
   * the answer is a 502, never an acknowledgement of a write that may not be stored. Default: none.
   */
  commitBarrier?: () => Promise<void>;
  /**
   * Called once a management function has answered (any method: a refused attempt is audited too),
   * so whoever reads the audit items it may have written looks soon: local mode's stream poller.
   */
  afterManagementCall?: () => void;
  /** Serves what local mode adds beside the API (the console, the issuer's sign-in); false: not its path. */
  localRoutes?: (req: IncomingMessage, res: ServerResponse, path: string) => Promise<boolean>;
}

export interface LocalGateway {
  /** `http://127.0.0.1:<port>` (or the first host's URL). */
  url: string;
  port: number;
  close(): Promise<void>;
}

const DEFAULT_MAX_BODY_BYTES = 10 * 1024 * 1024;
const echoForAll: BackendOf = () => ({ type: 'echo' });

/** Starts the local gateway. Handlers are created on first use. */
export async function startLocalGateway(options: LocalGatewayOptions): Promise<LocalGateway> {
  const settings: GatewaySettings = {
    api: options.api ?? LOCAL_API,
    catalog: options.catalog,
    loadHandler: loadOnce(options.loadHandler),
    backendOf: options.backendOf ?? echoForAll,
    jwks: options.jwks,
    maxBodyBytes: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
    integrationTimeoutMs: options.integrationTimeoutMs ?? 29_000,
    authorizerTimeoutMs: options.authorizerTimeoutMs ?? 10_000,
    log: options.log ?? (() => {}),
    accessLog: options.accessLog ?? options.log !== undefined,
    keyPrefix: options.keyPrefix ?? DEFAULT_KEY_PREFIX,
    commitBarrier: options.commitBarrier,
    afterManagementCall: options.afterManagementCall,
    localRoutes: options.localRoutes,
    port: 0,
  };
  warnAboutLambdaBackends(settings);
  const agents = { http: new HttpAgent({ keepAlive: true }), https: new HttpsAgent({ keepAlive: true }) };
  const listener = (req: IncomingMessage, res: ServerResponse) => {
    handleRequest(settings, agents, req, res).catch((error: unknown) => {
      settings.log(`gateway fault: ${describeError(error)}`);
      if (!res.headersSent) res.writeHead(500).end();
      else res.destroy();
    });
  };
  const servers = await listenOnAll(listener, options.hosts ?? ['127.0.0.1', '::1'], options.port ?? 0);
  const address = servers[0]?.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  settings.port = port;
  return {
    url: `http://${urlHost(address && typeof address === 'object' ? address.address : '127.0.0.1')}:${port}`,
    port,
    close: async () => {
      await Promise.all(
        servers.map(
          (server) =>
            new Promise<void>((resolve) => {
              server.closeAllConnections();
              server.close(() => resolve());
            }),
        ),
      );
      agents.http.destroy();
      agents.https.destroy();
    },
  };
}

/** Each function's handler created once; a failed import is retried (e.g. after a fix under `tsx watch`). */
function loadOnce(loader: HandlerLoader): HandlerLoader {
  const loaded = new Map<string, Promise<LambdaHandler>>();
  return (name) => {
    let handler = loaded.get(name);
    if (!handler) {
      handler = loader(name);
      handler.catch(() => loaded.delete(name));
      loaded.set(name, handler);
    }
    return handler;
  };
}

/** Local mode cannot invoke a Lambda by ARN: echo answers its routes, and the log says so once per backend. */
function warnAboutLambdaBackends(settings: GatewaySettings): void {
  const namespaces = new Map<string, Set<string>>();
  for (const route of settings.catalog.routes) {
    if (route.kind !== 'protected') continue;
    const backend = settings.backendOf(route);
    if (backend.type !== 'lambda') continue;
    const seen = namespaces.get(backend.functionArn) ?? new Set<string>();
    seen.add(route.namespace);
    namespaces.set(backend.functionArn, seen);
  }
  for (const [arn, names] of namespaces) {
    settings.log(
      `${[...names].sort().join(', ')}: the Lambda backend ${arn} cannot be invoked locally; echo answers these routes`,
    );
  }
}
