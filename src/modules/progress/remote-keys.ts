import { createLocalJWKSet, errors, type JSONWebKeySet, type JWTVerifyGetKey } from 'jose';

/** After this long, the keys are fetched again in the background: no verification waits for it. */
const FRESH_MS = 10 * 60_000;
/** How long the keys last fetched stay in use while the provider cannot be reached. */
const USABLE_MS = 24 * 60 * 60_000;
/** Fetches start at most this often, whether to refresh or for a token naming a key the set lacks. */
const COOLDOWN_MS = 30_000;
const TIMEOUT_MS = 5_000;

/** The identity provider's keys could not be read: the token may be good, the service cannot tell. */
export class IdentityProviderUnavailable extends Error {}

/**
 * The keys an identity provider publishes at a JWKS URL, held in memory. They are fetched on first
 * use, again in the background once FRESH_MS old, and at once when a token names a key the set does
 * not hold (a rotation). While the provider cannot be reached, the keys last fetched go on verifying
 * tokens for USABLE_MS; without any, verification fails with IdentityProviderUnavailable.
 */
export function remoteKeys(url: URL, onRefreshFailure: (error: Error) => void): JWTVerifyGetKey {
  let keys: { verify: JWTVerifyGetKey; fetchedAt: number } | undefined;
  let lastFetch = -Infinity;
  let fetching: Promise<JWTVerifyGetKey> | undefined;

  const fetchKeys = (): Promise<JWTVerifyGetKey> =>
    (fetching ??= (async () => {
      lastFetch = Date.now();
      try {
        const response = await fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(TIMEOUT_MS) });
        if (response.status !== 200) throw new Error(`it answered HTTP ${response.status}`);
        keys = { verify: createLocalJWKSet((await response.json()) as JSONWebKeySet), fetchedAt: Date.now() };
        return keys.verify;
      } catch (error) {
        throw new IdentityProviderUnavailable(`the JWKS at ${url.href} could not be read: ${(error as Error).message}`);
      } finally {
        fetching = undefined;
      }
    })());

  const cooledDown = () => Date.now() - lastFetch >= COOLDOWN_MS;

  return async (header, token) => {
    const age = keys ? Date.now() - keys.fetchedAt : Infinity;
    const verify = age < USABLE_MS ? keys!.verify : await fetchKeys();
    if (age >= FRESH_MS && age < USABLE_MS && cooledDown()) fetchKeys().catch(onRefreshFailure);
    try {
      return await verify(header, token);
    } catch (error) {
      if (!(error instanceof errors.JWKSNoMatchingKey) || !cooledDown()) throw error;
      return (await fetchKeys())(header, token);
    }
  };
}
