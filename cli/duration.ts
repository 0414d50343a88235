import { UsageError } from './errors.js';

const UNIT_SECONDS = { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800 } as const;

/**
 * A duration option (`--expires-in`, `--grace`): a whole number and a unit (`90m`, `12h`, `30d`, `2w`;
 * `s` for seconds) → seconds; `allowZero` also takes `0` (e.g. no grace). The API judges the bounds;
 * this only reads the notation.
 */
export function parseDuration(text: string, option = '--expires-in', allowZero = false): number {
  const trimmed = text.trim();
  if (allowZero && /^0[smhdw]?$/.test(trimmed)) return 0;
  const match = /^([1-9][0-9]{0,8})([smhdw])$/.exec(trimmed);
  if (!match) {
    throw new UsageError(
      `${option} "${text}" is not a duration: use a whole number and a unit, e.g. 12h, 30d or 2w (s, m, h, d, w)${allowZero ? ', or 0' : ''}.`,
    );
  }
  return Number(match[1]) * UNIT_SECONDS[match[2] as keyof typeof UNIT_SECONDS];
}
