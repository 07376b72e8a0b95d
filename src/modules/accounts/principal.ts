import type { UserRole } from '../../infra/db/schema.js';

/** Who is calling: the owner of the API key (or of the panel session), in its organization. */
export interface Principal {
  userId: number;
  organizationId: number;
  organizationSlug: string;
  role: UserRole;
  /** The key of the call; null in the admin panel, where a user acts through a session. */
  apiKeyId: number | null;
  apiKeyName: string | null;
}

export const isManager = (principal: Principal): boolean => principal.role === 'manager';
