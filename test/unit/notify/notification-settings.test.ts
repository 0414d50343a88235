import { describe, expect, it } from 'vitest';
import { notificationSettingsSchema } from '../../../shared/domain/notify/notification-settings.js';

describe('notificationSettingsSchema', () => {
  it('accepts up to 20 addresses and drops case-insensitive duplicates, keeping the first spelling', () => {
    const parsed = notificationSettingsSchema.parse({
      emails: ['Ops@Acme.test', 'sec@acme.test', 'ops@acme.TEST', 'sec@acme.test'],
    });
    expect(parsed).toEqual({ emails: ['Ops@Acme.test', 'sec@acme.test'] });
  });

  it('accepts an empty list, which stops the email (GET answers it before anything is set)', () => {
    expect(notificationSettingsSchema.parse({ emails: [] })).toEqual({ emails: [] });
  });

  it('accepts exactly 20 addresses', () => {
    const emails = Array.from({ length: 20 }, (_, i) => `admin${i}@acme.test`);
    expect(notificationSettingsSchema.parse({ emails }).emails).toHaveLength(20);
  });

  it.each([
    ['21 addresses', { emails: Array.from({ length: 21 }, (_, i) => `a${i}@acme.test`) }, 'emails'],
    ['an invalid address', { emails: ['ops@acme.test', 'not an address'] }, 'emails.1'],
    ['a non-string address', { emails: [42] }, 'emails.0'],
    ['emails not a list', { emails: 'ops@acme.test' }, 'emails'],
    ['a missing list', {}, 'emails'],
    ['an unknown field', { emails: ['ops@acme.test'], cc: ['x@acme.test'] }, ''],
  ])('rejects %s, naming the field', (_, body, path) => {
    const result = notificationSettingsSchema.safeParse(body);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.path.join('.'))).toContain(path);
  });

  it('says, in its own words, what emails must be when it is missing or not a list', () => {
    for (const body of [{}, { emails: null }, { emails: 'ops@acme.test' }]) {
      const messages = notificationSettingsSchema.safeParse(body).error?.issues.map((issue) => issue.message);
      expect(messages).toEqual(['must be a list of email addresses, e.g. ["ops@example.com"]']);
    }
  });
});
