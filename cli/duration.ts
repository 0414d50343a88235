import { UsageError } from './errors.js';

const UNIT_SECONDS = { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800 } as const;

/**
 * `--expires-in`: a whole number and a unit (`90m`, `12h`, `30d`, `2w`; `s` for seconds) → seconds.
 * The API judges the bounds (1 hour to 365 days); this only reads the notation.
 */
export function parseDuration(text: string): number {
  const match = /^([1-9][0-9]{0,8})([smhdw])$/.exec(text.trim());
  if (!match) {
    throw new UsageError(
      `--expires-in "${text}" is not a duration: use a whole number and a unit, e.g. 12h, 30d or 2w (s, m, h, d, w).`,
    );
  }
  return Number(match[1]) * UNIT_SECONDS[match[2] as keyof typeof UNIT_SECONDS];
}
