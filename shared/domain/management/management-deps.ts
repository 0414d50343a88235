import type { RouteCatalog } from '../catalog/route-catalog.js';
import type { Clock } from '../clock.js';
import type { KeyStore } from '../ports.js';

/** What the management use cases work with: their ports and the deployment's settings. */
export interface ManagementDeps {
  store: KeyStore;
  /** The deployment's route catalog: which routes exist and which scopes a key may hold. */
  catalog: RouteCatalog;
  clock: Clock;
  /** The deployment's key prefix, e.g. `wsk-v1-`. */
  keyPrefix: string;
  /** Days an expired key stays (listed, marked expired) before DynamoDB TTL removes it. */
  retentionDays: number;
}
