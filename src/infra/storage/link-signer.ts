import { createHmac, timingSafeEqual } from 'node:crypto';

/** Signs and checks the expiring download links that the service itself serves. */
export class LinkSigner {
  constructor(private readonly secret: string) {}

  private signature(key: string, expires: number): string {
    return createHmac('sha256', this.secret).update(`${expires}\n${key}`).digest('base64url');
  }

  sign(key: string, ttlSeconds: number, now = Date.now()): { expires: number; signature: string } {
    const expires = Math.floor(now / 1000) + ttlSeconds;
    return { expires, signature: this.signature(key, expires) };
  }

  verify(key: string, expires: number, signature: string, now = Date.now()): 'valid' | 'expired' | 'invalid' {
    const expected = Buffer.from(this.signature(key, expires));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return 'invalid';
    return expires * 1000 < now ? 'expired' : 'valid';
  }
}
