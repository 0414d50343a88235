import { builtInCatalog } from '../../shared/catalogs/built-in-catalog.js';

/** The shipped catalog, built once per test file: tests are composition roots like the handlers. */
export const CATALOG = builtInCatalog();
