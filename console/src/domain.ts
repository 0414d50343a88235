/**
 * The one module through which the console uses keygate's domain rules, so the browser checks input
 * exactly as the API does (and a move of these files is fixed here alone). These modules are pure and
 * import no catalog, so they add a few hundred bytes to the bundle and no catalog data (the console
 * receives the catalog from `GET /v1/scopes`).
 */
export {
  DEFAULT_LIFETIME_SECONDS,
  GLOBAL_SCOPE_MAX_LIFETIME_SECONDS,
  MAX_LIFETIME_SECONDS,
  MIN_LIFETIME_SECONDS,
  resolveExpiry,
} from '../../shared/domain/expiry/expiry-policy.js';
export { MAX_KEY_NAME_LENGTH, validateKeyName } from '../../shared/domain/keys/key-name.js';
export { GLOBAL_SCOPE } from '../../shared/domain/scopes/scope-grammar.js';
