import { handlerFromEnv } from './notifier.js';

/** The Lambda entry point: environment read and adapters built once, at cold start. */
export const handler = handlerFromEnv(process.env);
