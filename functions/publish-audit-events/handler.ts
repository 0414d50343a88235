import { handlerFromEnv } from './publish-audit-events.js';

/** The Lambda entry point: environment and adapters read and built once, at cold start. */
export const handler = handlerFromEnv(process.env);
