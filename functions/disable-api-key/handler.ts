import { builtInCatalog } from '../../shared/catalogs/built-in-catalog.js';
import { handlerFromEnv } from './disable-api-key.js';

/** The Lambda entry point: environment read and adapters built once, at cold start. */
export const handler = handlerFromEnv(process.env, builtInCatalog());
