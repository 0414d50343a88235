import { describe, expect, it } from 'vitest';
import {
  InvalidKeygateConfigError,
  parseKeygateConfig,
} from '../../../shared/adapters/config/keygate-config.js';

/** `eventBusName`: unset means the account's default bus; a bad name is a config error naming the field. */
describe('eventBusName config', () => {
  it('is unset by default (the stack then uses the default bus) and keeps a valid bus name', () => {
    expect(parseKeygateConfig({}).eventBusName).toBeUndefined();
    expect(parseKeygateConfig({ eventBusName: 'acme-security.events_1' }).eventBusName).toBe(
      'acme-security.events_1',
    );
    expect(parseKeygateConfig({ eventBusName: 'default' }).eventBusName).toBe('default');
  });

  it.each([
    ['empty', ''],
    ['a space', 'acme events'],
    ['an ARN', 'arn:aws:events:eu-west-1:123456789012:event-bus/acme'],
    ['too long', 'a'.repeat(257)],
    ['not a string', 42],
  ])('refuses %s, naming the field', (_case, value) => {
    let error: unknown;
    try {
      parseKeygateConfig({ eventBusName: value }, 'keygate.config.json');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(InvalidKeygateConfigError);
    expect((error as InvalidKeygateConfigError).issues).toEqual([expect.stringMatching(/^eventBusName: /)]);
    expect((error as Error).message).toContain('keygate.config.json');
  });
});
