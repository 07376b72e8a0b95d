import { describe, expect, it } from 'vitest';
import { redactUrl } from '../../src/http/log-redaction.js';

describe('redactUrl', () => {
  it.each([
    ['/v1/downloads/a%2Fb.json?expires=1796517599&signature=c2lnbmVk', '/v1/downloads/a%2Fb.json?expires=1796517599&signature=REDACTED'],
    [
      'https://bucket.s3.amazonaws.com/k.zip?X-Amz-Algorithm=AWS4&X-Amz-Credential=AKIA%2F1&X-Amz-Signature=abc&X-Amz-Security-Token=t',
      'https://bucket.s3.amazonaws.com/k.zip?X-Amz-Algorithm=AWS4&X-Amz-Credential=REDACTED&X-Amz-Signature=REDACTED&X-Amz-Security-Token=REDACTED',
    ],
    ['/v1/certificates/eyJhbGciOi.payload.sig', '/v1/certificates/REDACTED'],
    ['/admin/reset-password/TpUM8zdDKuXT7QU5cE4vqZm7qikGK-MZw80PI27CbgU', '/admin/reset-password/REDACTED'],
    ['/admin/files?status=failed&page=2', '/admin/files?status=failed&page=2'],
    ['/hook?access_token=abc&api_key=k', '/hook?access_token=REDACTED&api_key=REDACTED'],
    ['/x?%E0%A4%A=1', '/x?REDACTED'],
  ])('%s', (url, expected) => {
    expect(redactUrl(url)).toBe(expected);
  });
});
