import type { UserRole } from '../../infra/db/schema.js';

/** Who is calling: the owner of the API key, in the key's organization. */
export interface Principal {
  userId: number;
  organizationId: number;
  organizationSlug: string;
  role: UserRole;
  apiKeyId: number;
  apiKeyName: string;
}

export const isManager = (principal: Principal): boolean => principal.role === 'manager';
