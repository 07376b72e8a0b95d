import { randomBytes } from 'node:crypto';
import type { Config } from '../../config.js';
import type { Db } from '../../infra/db/database.js';
import { isUniqueViolation } from '../../infra/db/database.js';
import { AccountsService } from './service.js';

export interface BootstrapCredentials {
  organization: string;
  email: string;
  password: string;
  apiKey: string;
}

/**
 * On the very first start (no organization yet) creates an organization, its manager and an API
 * key, and returns the credentials so they can be shown once. Values given in the environment are
 * used exactly as given. Returns undefined on every later start, or when another process won.
 */
export async function bootstrapFirstManager(
  db: Db,
  bootstrap: Config['bootstrap'],
): Promise<BootstrapCredentials | undefined> {
  const existing = await db.selectFrom('organizations').select('id').limit(1).executeTakeFirst();
  if (existing) return undefined;
  const accounts = new AccountsService(db);
  const email = bootstrap.email ?? 'admin@scorm-lens.local';
  const password = bootstrap.password ?? randomBytes(12).toString('base64url');
  try {
    return await db.transaction().execute(async (tx) => {
      const organization = await accounts.createOrganization(bootstrap.organization, tx);
      const user = await accounts.createUser({ organizationId: organization.id, email, role: 'manager', password }, tx);
      const { key } = await accounts.createApiKey(
        { organizationId: organization.id, userId: user.id, name: 'Bootstrap key', key: bootstrap.apiKey },
        tx,
      );
      return { organization: organization.name, email: user.email, password, apiKey: key };
    });
  } catch (error) {
    if (isUniqueViolation(error)) return undefined;
    throw error;
  }
}

export function formatCredentials(credentials: BootstrapCredentials, publicUrl: string): string {
  return [
    '',
    '  SCORM Lens is set up. These credentials are shown only this once:',
    '',
    `    organization  ${credentials.organization}`,
    `    e-mail        ${credentials.email}`,
    `    password      ${credentials.password}`,
    `    API key       ${credentials.apiKey}`,
    '',
    `  Admin panel: ${publicUrl}/admin (sign in with the e-mail and password above)`,
    `  Try it:  curl -H "X-API-KEY: ${credentials.apiKey}" ${publicUrl}/v1/scorm-files/`,
    `  API docs: ${publicUrl}/docs`,
    '',
  ].join('\n');
}
