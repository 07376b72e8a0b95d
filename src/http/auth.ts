import type { FastifyRequest } from 'fastify';
import type { AccountsService } from '../modules/accounts/service.js';
import { isManager, type Principal } from '../modules/accounts/principal.js';
import { AuthenticationError, ForbiddenError } from './errors.js';

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
  }
}

export const API_KEY_HEADER = 'x-api-key';

/** An onRequest hook that admits only requests carrying a live API key in `X-API-KEY`. */
export function apiKeyAuthentication(accounts: AccountsService) {
  return async (request: FastifyRequest): Promise<void> => {
    const header = request.headers[API_KEY_HEADER];
    const key = Array.isArray(header) ? header[0] : header;
    if (!key) throw new AuthenticationError('authentication_required', 'Send your API key in the X-API-KEY header.');
    const principal = await accounts.authenticate(key.trim());
    if (!principal) throw new AuthenticationError('invalid_api_key', 'The API key is unknown or has been revoked.');
    request.principal = principal;
  };
}

export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new AuthenticationError('authentication_required', 'Send your API key in the X-API-KEY header.');
  return request.principal;
}

export function managerOf(request: FastifyRequest): Principal {
  const principal = principalOf(request);
  if (!isManager(principal)) throw new ForbiddenError('manager_role_required', 'Only managers can do this.');
  return principal;
}
