import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';

/** A webhook secret as the Standard Webhooks convention writes it: `whsec_` and 24 random bytes in base64. */
export function generateSecret(): string {
  return `whsec_${randomBytes(24).toString('base64')}`;
}

/**
 * The headers of a delivery signed per Standard Webhooks (`v1,<base64 HMAC-SHA256 of
 * "<id>.<timestamp>.<body>">`, by the convention's own library). While a rotated-out secret is
 * still valid, the body is signed under both, space-separated, so receivers can switch secrets at
 * their own pace.
 */
export function signedHeaders(secrets: string[], id: string, timestamp: number, body: string): Record<string, string> {
  const at = new Date(timestamp * 1000);
  return {
    'webhook-id': id,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': secrets.map((secret) => new Webhook(secret).sign(id, at, body)).join(' '),
  };
}
