import { describe, expect, it } from 'vitest';
import { redactCredentials, registerSecret } from '../../../electron/host/logger';

describe('log redaction', () => {
  it('removes token query parameters, cookies and bearer credentials, right or wrong', () => {
    expect(redactCredentials('HTTP GET /index.html?token=abc%E0def&x=1: URI malformed')).toBe(
      'HTTP GET /index.html?token=[redacted]&x=1: URI malformed',
    );
    expect(redactCredentials('cookie aquila_token=s3cr3t; other=1')).toBe(
      'cookie aquila_token=[redacted]; other=1',
    );
    expect(redactCredentials('cookie aquila_session=sid-value; other=1')).toBe(
      'cookie aquila_session=[redacted]; other=1',
    );
    expect(redactCredentials('Authorization: Bearer s3cr3t-value, next')).toBe(
      'Authorization: Bearer [redacted], next',
    );
  });

  it('removes a registered secret wherever it appears, until unregistered', () => {
    const secret = 'registered-secret-0123456789';
    const unregister = registerSecret(secret);
    expect(redactCredentials(`see ${secret}/path`)).toBe('see [redacted]/path');
    unregister();
    expect(redactCredentials(`see ${secret}`)).toBe(`see ${secret}`);
  });
});
