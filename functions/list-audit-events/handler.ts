import { bundledCatalog } from '../../shared/catalogs/bundled-catalog.js';
import { handlerFromEnv } from './list-audit-events.js';

/** The Lambda entry point: environment, catalog (`catalog.json` beside the bundle) and adapters read and built once, at cold start. */
export const handler = handlerFromEnv(process.env, bundledCatalog(import.meta.url));
