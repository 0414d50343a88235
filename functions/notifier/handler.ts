import { handlerFromEnv } from './notifier.js';

/** The Lambda entry point: environment, catalog (`catalog.json` beside the bundle) and adapters read and built once, at cold start. */
export const handler = handlerFromEnv(process.env);
