import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { pkcePair } from '../../../cli/browser-sign-in.js';

describe('PKCE (RFC 7636)', () => {
  it('makes a fresh 43-character verifier each time, and its S256 challenge', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 50; i++) {
      const { verifier, challenge } = pkcePair();
      // §4.1: 43–128 characters of [A-Z a-z 0-9 - . _ ~]; 32 random bytes give 43.
      expect(verifier).toMatch(/^[A-Za-z0-9_-]{43}$/);
      // §4.2: BASE64URL(SHA256(ASCII(code_verifier))), no padding.
      expect(challenge).toBe(createHash('sha256').update(verifier, 'ascii').digest('base64url'));
      expect(challenge).toMatch(/^[A-Za-z0-9_-]{43}$/);
      seen.add(verifier);
    }
    expect(seen.size).toBe(50);
  });
});
