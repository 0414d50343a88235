import type { AuditEventView, CreatedKey, KeyView } from '../../../domain/management/response-schemas.js';

/**
 * Examples for the document. The secret is visibly fake (it says so, and fails the key checksum, so
 * the authorizer refuses it): readers copy examples, and a real-looking secret in docs gets reported.
 */

export const EXAMPLE_KEY_ID = '019a1b2c-3d4e-7f60-8a1b-2c3d4e5f6a7b';

export const EXAMPLE_KEY_VIEW: KeyView = {
  id: EXAMPLE_KEY_ID,
  name: 'Billing sync',
  keyPrefix: 'wsk-v1-EXA',
  scopes: ['messaging:read'],
  allowedIps: [],
  createdAt: '2026-12-01T09:30:00.000Z',
  createdBy: 'admin:alice@example.com',
  expiresAt: '2026-12-31T09:30:00.000Z',
  expired: false,
  lastUsedAt: null,
  enabled: true,
  rotatedFrom: null,
  rotatedTo: null,
};

export const EXAMPLE_CREATED_KEY: CreatedKey = {
  ...EXAMPLE_KEY_VIEW,
  key: 'wsk-v1-EXAMPLE0NOT0A0REAL0KEY0EXAMPLE0NOT0A0REAL0KEY0EXAMPLE0NOT0A0REAL0KEY0EXAMPLE0NOT0A0REAL0KEY',
};

export const EXAMPLE_AUDIT_EVENT: AuditEventView = {
  id: '019a1b2d-0000-7000-8000-0000000000a1',
  at: '2026-12-02T10:15:00.000Z',
  action: 'api-key.renamed',
  actor: { type: 'root-admin', subject: 'alice-sub', email: 'alice@example.com' },
  target: { keyId: EXAMPLE_KEY_ID, name: 'Billing sync (EU)' },
  requestId: 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef',
  sourceIp: '203.0.113.7',
  userAgent: 'keygate-cli/0.1.0',
  changes: { oldName: 'Billing sync', newName: 'Billing sync (EU)' },
};

export const EXAMPLE_SCOPES = {
  scopes: [
    { scope: 'messaging:read', description: 'List conversation channels', access: 'read', covers: 1 },
    {
      scope: 'messaging:SendMessage',
      description: 'Send a message to a channel',
      access: 'write',
      covers: 1,
    },
  ],
  namespaces: [
    {
      namespace: 'messaging',
      readScope: 'messaging:read',
      fullScope: 'messaging:*',
      operations: [
        { scope: 'messaging:ListChannels', access: 'read' },
        { scope: 'messaging:SendMessage', access: 'write' },
      ],
    },
  ],
  groups: [],
};
