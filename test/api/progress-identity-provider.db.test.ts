import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { startHarness, type Harness, type Tenant } from '../support/harness.js';
import { hs256Token, IdentityProvider, unsecuredToken, type IdpTokenOptions } from '../support/identity-provider.js';
import { freePort } from '../support/ports.js';
import { createCollection, createContext, expectOk, expectRefused, failure, Learner, uniqueId } from '../support/progress.js';

// Learner tokens of an external identity provider (LENS_LEARNER_TOKEN_PUBLIC_KEY or _JWKS_URL):
// the learner is the token's subject, in the organization of the API key it comes with.

const ISSUER = 'https://idp.example.test';
const AUDIENCE = 'scorm-lens';
const organic = { contentId: 'idp-lesson' };
const INVALID = { 'x-authenticated-user-token': 'User token is invalid or expired' };

let idp: IdentityProvider;
beforeAll(async () => {
  idp = await IdentityProvider.create('idp-key-1');
});
afterAll(() => idp.close());

/** A token for `subject` with the configured issuer and audience, signed by `by`. */
const signed = (subject: string, options: IdpTokenOptions = {}, by = idp) => by.sign({ issuer: ISSUER, audience: AUDIENCE, subject, ...options });
const jwksEnv = (url: string) => ({ LENS_LEARNER_TOKEN_JWKS_URL: url, LENS_LEARNER_TOKEN_ISSUER: ISSUER, LENS_LEARNER_TOKEN_AUDIENCE: AUDIENCE });

/** The answer to a token of the provider while none of its keys can be used. */
function expectProviderUnavailable(response: Awaited<ReturnType<Learner['start']>>, msgid: string) {
  const expected = failure('api.view.start', msgid, 'SERVER_ERROR', {
    'x-authenticated-user-token': "The identity provider's keys could not be read; try again later",
  });
  expect({ status: response.statusCode, body: response.json() }).toEqual({ status: 503, body: expected });
}

describe('with the identity provider public key', () => {
  let harness: Harness;
  let acme: Tenant;
  let globex: Tenant;
  const inBatch = { contentId: 'only', collectionId: 'idp-course', contextId: 'idp-batch' };

  beforeAll(async () => {
    const pem = await idp.publicKeyPem();
    harness = await startHarness({
      env: {
        // On one line with \n, as environment files hold it.
        LENS_LEARNER_TOKEN_PUBLIC_KEY: pem.replace(/\n/g, '\\n'),
        LENS_LEARNER_TOKEN_ISSUER: ISSUER,
        LENS_LEARNER_TOKEN_AUDIENCE: AUDIENCE,
      },
    });
    acme = await harness.createTenant('Acme Learning');
    globex = await harness.createTenant('Globex');
    await createCollection(harness.app, acme.manager.key, { identifier: 'idp-course', contents: [{ contentId: 'only' }] });
    const certificate = { name: 'IdP course done' };
    await createContext(harness.app, acme.manager.key, { identifier: 'idp-batch', collectionId: 'idp-course', certificate });
  });
  afterAll(() => harness.close());

  it("takes the token's subject as the learner, in the organization of the API key, and its name onto certificates", async () => {
    const userId = uniqueId('idp-alice');
    const token = await signed(userId, { claims: { name: 'Alice Idp' } });
    const atAcme = new Learner(harness.app, acme.member.key, userId, token);
    expectOk(await atAcme.start(organic, { msgid: 's1' }), 'api.view.start', 's1', { 'idp-lesson': 'Progress started' });
    expectOk(await atAcme.end(inBatch, { msgid: 'e1' }), 'api.view.end', 'e1', { only: 'Progress ended' });
    expect(await atAcme.view(organic)).toMatchObject({ userId, status: 1 });

    const [summary] = await atAcme.summaries();
    const issued = (summary as { issuedCertificates: { token: string }[] }).issuedCertificates;
    expect(issued).toHaveLength(1);
    const certificate = await harness.app.inject({ method: 'GET', url: `/v1/certificates/${issued[0]!.token}`, headers: { accept: 'application/json' } });
    expect(certificate.json()).toMatchObject({ learner: { userId, name: 'Alice Idp' }, course: { identifier: 'idp-course' } });

    // The same token with another organization's key is a learner of that organization, with nothing yet.
    const atGlobex = new Learner(harness.app, globex.member.key, userId, token);
    expect(await atGlobex.view(organic)).toMatchObject({ userId, status: 0 });
    expect(await atGlobex.summaries()).toEqual([]);
  });

  it('refuses tokens it did not sign, or that do not fit the configuration, and records nothing for them', async () => {
    const userId = uniqueId('idp-mallory');
    const impostor = await IdentityProvider.create('idp-key-1');
    const inThePast = Math.floor(Date.now() / 1000) - 120;
    const refusals = {
      otherKey: await signed(userId, {}, impostor),
      otherIssuer: await signed(userId, { issuer: 'https://elsewhere.test' }),
      otherAudience: await signed(userId, { audience: 'another-service' }),
      expired: await signed(userId, { expiresAt: inThePast }),
      withoutExpiry: await signed(userId, { expiresAt: null }),
      withoutSubject: await signed(userId, { subject: null }),
      unsecured: unsecuredToken({ sub: userId, iss: ISSUER, aud: AUDIENCE, exp: inThePast + 7200 }),
      // Algorithm confusion: the public key, which anyone can have, used as an HMAC secret.
      publicKeyAsSecret: await hs256Token(new TextEncoder().encode(await idp.publicKeyPem()), { subject: userId, issuer: ISSUER, audience: AUDIENCE }),
      notAJwt: 'not.a.jwt',
    };
    for (const [label, token] of Object.entries(refusals)) {
      const response = await new Learner(harness.app, acme.member.key, userId, token).start(organic, { msgid: label });
      expectRefused(response, 'api.view.start', label, 'UNAUTHORIZED', INVALID);
    }
    // The control: the same learner with a genuine token has nothing recorded.
    expect(await new Learner(harness.app, acme.member.key, userId, await signed(userId)).view(organic)).toMatchObject({ status: 0 });
  });

  it('leaves out a name that text cannot hold, and still takes the learner', async () => {
    const userId = uniqueId('idp-nul');
    const learner = new Learner(harness.app, acme.member.key, userId, await signed(userId, { claims: { name: 'Ann\u0000' } }));
    expectOk(await learner.end(inBatch, { msgid: 'e' }), 'api.view.end', 'e', { only: 'Progress ended' });
    const [summary] = await learner.summaries();
    const [issued] = (summary as { issuedCertificates: { token: string }[] }).issuedCertificates;
    const certificate = await harness.app.inject({ method: 'GET', url: `/v1/certificates/${issued!.token}`, headers: { accept: 'application/json' } });
    expect(certificate.json()).toMatchObject({ learner: { userId, name: null } });
  });

  it('still takes the tokens the service mints', async () => {
    const learner = await Learner.of(harness.app, acme.manager.key, uniqueId('minted'));
    expectOk(await learner.start(organic, { msgid: 'm1' }), 'api.view.start', 'm1', { 'idp-lesson': 'Progress started' });
  });
});

describe('with the identity provider JWKS URL', () => {
  let harness: Harness;
  let acme: Tenant;

  beforeAll(async () => {
    harness = await startHarness({ env: jwksEnv(await idp.serveJwks()) });
    acme = await harness.createTenant('Acme Learning');
  });
  afterAll(() => harness.close());

  it('verifies tokens with the keys the URL serves, fetching them once for many requests', async () => {
    const userId = uniqueId('jwks-bob');
    const learner = new Learner(harness.app, acme.member.key, userId, await signed(userId));
    for (let i = 0; i < 3; i++) {
      const response = await learner.update(organic, { progress: 10 * i }, 5, { msgid: `u${i}` });
      expectOk(response, 'api.view.update', `u${i}`, { 'idp-lesson': 'Progress Updated' });
    }
    // A second token of the same provider, verified with the keys already fetched.
    const secondToken = await signed(userId, { claims: { session: 2 } });
    expect(await new Learner(harness.app, acme.member.key, userId, secondToken).view(organic)).toMatchObject({ timeSpent: 15 });
    expect(idp.jwksRequests).toBe(1);
  });

  it('refuses a token signed with a key the set does not hold', async () => {
    const userId = uniqueId('jwks-mallory');
    const stranger = await IdentityProvider.create('stranger-key');
    const response = await new Learner(harness.app, acme.member.key, userId, await signed(userId, {}, stranger)).start(organic, { msgid: 'x' });
    expectRefused(response, 'api.view.start', 'x', 'UNAUTHORIZED', INVALID);
  });
});

describe('with a JWKS URL, over time', () => {
  let provider: IdentityProvider;
  let harness: Harness;
  let acme: Tenant;
  const MINUTE = 60_000;

  beforeAll(async () => {
    provider = await IdentityProvider.create('rotating-1');
    harness = await startHarness({ env: jwksEnv(await provider.serveJwks()) });
    acme = await harness.createTenant('Acme Learning');
  });
  afterAll(async () => {
    await harness.close();
    await provider.close();
  });
  // The service's clock, moved forward by the tests; timers stay real.
  afterEach(() => vi.useRealTimers());
  const at = (ms: number) => vi.setSystemTime(ms);

  /** A view/start by a new learner with a token signed now by `provider`. */
  async function startWithNewToken(msgid: string) {
    const userId = uniqueId('over-time');
    return new Learner(harness.app, acme.member.key, userId, await signed(userId, {}, provider)).start(organic, { msgid });
  }

  it('fetches the set again for a key it does not hold, at most every 30 seconds', async () => {
    vi.useFakeTimers({ toFake: ['Date'], shouldAdvanceTime: true });
    const start = Date.now();
    expect((await startWithNewToken('first')).statusCode).toBe(200);
    expect(provider.jwksRequests).toBe(1);
    await provider.rotate('rotating-2');
    // Within 30 seconds of the last fetch, a token of the new key is refused without fetching.
    expectRefused(await startWithNewToken('too-soon'), 'api.view.start', 'too-soon', 'UNAUTHORIZED', INVALID);
    expect(provider.jwksRequests).toBe(1);
    at(start + 31_000);
    expectOk(await startWithNewToken('rotated'), 'api.view.start', 'rotated', { 'idp-lesson': 'Progress started' });
    expect(provider.jwksRequests).toBe(2);
  });

  it('refreshes the keys in the background: no request waits for a provider that hangs', async () => {
    vi.useFakeTimers({ toFake: ['Date'], shouldAdvanceTime: true });
    provider.hang();
    at(Date.now() + 11 * MINUTE);
    const requestsBefore = provider.jwksRequests;
    expectOk(await startWithNewToken('refreshing'), 'api.view.start', 'refreshing', { 'idp-lesson': 'Progress started' });
    // Answered while the refresh it started is still waiting on the provider.
    expect({ fetches: provider.jwksRequests - requestsBefore, waiting: provider.waiting }).toEqual({ fetches: 1, waiting: 1 });
    provider.recover();
  });

  it('goes on with the keys it has for a day while the provider is down, then answers 503', async () => {
    vi.useFakeTimers({ toFake: ['Date'], shouldAdvanceTime: true });
    const start = Date.now();
    await provider.close();
    // Ten minutes on, the keys are due for a refresh: it fails, and the keys the service has go on verifying.
    at(start + 11 * MINUTE);
    expectOk(await startWithNewToken('stale'), 'api.view.start', 'stale', { 'idp-lesson': 'Progress started' });
    at(start + 23 * 60 * MINUTE);
    expectOk(await startWithNewToken('still'), 'api.view.start', 'still', { 'idp-lesson': 'Progress started' });
    at(start + 25 * 60 * MINUTE);
    expectProviderUnavailable(await startWithNewToken('too-old'), 'too-old');
  });
});

describe('with a JWKS URL that cannot be read', () => {
  const cases = [
    ['nothing listens at it', async () => `http://127.0.0.1:${await freePort()}/.well-known/jwks.json`],
    ['it answers an error', async () => (await idp.serveJwks()).replace('/.well-known/jwks.json', '/keys-moved')],
  ] as const;

  it.each(cases)('answers 503 SERVER_ERROR, not a refusal of the learner, when %s', async (_label, url) => {
    const harness = await startHarness({ env: jwksEnv(await url()) });
    try {
      const acme = await harness.createTenant('Acme Learning');
      const userId = uniqueId('jwks-carol');
      expectProviderUnavailable(await new Learner(harness.app, acme.member.key, userId, await signed(userId)).start(organic, { msgid: 'down' }), 'down');
      // Tokens the service mints do not depend on the provider.
      const minted = await Learner.of(harness.app, acme.manager.key, uniqueId('minted'));
      expectOk(await minted.start(organic, { msgid: 'm' }), 'api.view.start', 'm', { 'idp-lesson': 'Progress started' });
    } finally {
      await harness.close();
    }
  });
});
