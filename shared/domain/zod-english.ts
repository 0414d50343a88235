import { en } from 'zod/locales';
import { config } from 'zod/mini';

/**
 * keygate validates with zod Mini (the functional build of zod 4: a fifth of zod's bundle weight, issue
 * 5's bundle budgets), which ships without messages ("Invalid input"). Importing this module gives it
 * zod's English messages, which problem details and environment errors show. Every module that
 * validates with zod Mini imports it.
 */
config(en());
