import { randomBytes } from 'node:crypto';
import type { Config } from '../../config.js';
import type { Db } from '../../infra/db/database.js';
import { isUniqueViolation } from '../../infra/db/database.js';
import { iso } from '../../http/dates.js';
import type { IssuedReset } from './password-resets.js';
import { AccountsService } from './service.js';

export interface BootstrapCredentials {
  organization: string;
  email: string;
  password: string;
  apiKey: string;
}

/**
 * Creates an organization with its first manager and an API key, in one transaction, and returns
 * the credentials so they can be shown once. Values given are used exactly as given; the password
 * and key are made when absent.
 */
export function createOrganizationWithManager(
  db: Db,
  input: { organization: string; email: string; password?: string | undefined; apiKey?: string | undefined },
): Promise<BootstrapCredentials> {
  const accounts = new AccountsService(db);
  const password = input.password ?? randomBytes(12).toString('base64url');
  return db.transaction().execute(async (tx) => {
    const organization = await accounts.createOrganization(input.organization, tx);
    const user = await accounts.createUser({ organizationId: organization.id, email: input.email, role: 'manager', password }, tx);
    const { key } = await accounts.createApiKey(
      { organizationId: organization.id, userId: user.id, name: 'Bootstrap key', key: input.apiKey },
      tx,
    );
    return { organization: organization.name, email: user.email, password, apiKey: key };
  });
}

/**
 * On the very first start (no organization yet) creates the first organization and its manager
 * from the environment. Returns undefined on every later start, or when another process won.
 */
export async function bootstrapFirstManager(
  db: Db,
  bootstrap: Config['bootstrap'],
): Promise<BootstrapCredentials | undefined> {
  const existing = await db.selectFrom('organizations').select('id').limit(1).executeTakeFirst();
  if (existing) return undefined;
  try {
    return await createOrganizationWithManager(db, { ...bootstrap, email: bootstrap.email ?? 'admin@scorm-lens.local' });
  } catch (error) {
    if (isUniqueViolation(error)) return undefined;
    throw error;
  }
}

/** Lines shown once on a terminal, indented as one block. */
const shownOnce = (heading: string, rows: string[], footer: string[]) =>
  ['', `  ${heading}`, '', ...rows.map((row) => `    ${row}`), '', ...footer.map((line) => `  ${line}`), ''].join('\n');

export function formatCredentials(credentials: BootstrapCredentials, publicUrl: string): string {
  return shownOnce(
    'SCORM Lens is set up. These credentials are shown only this once:',
    [
      `organization  ${credentials.organization}`,
      `e-mail        ${credentials.email}`,
      `password      ${credentials.password}`,
      `API key       ${credentials.apiKey}`,
    ],
    [
      `Admin panel: ${publicUrl}/admin (sign in with the e-mail and password above)`,
      `Try it:  curl -H "X-API-KEY: ${credentials.apiKey}" ${publicUrl}/v1/scorm-files/`,
      `API docs: ${publicUrl}/docs`,
    ],
  );
}

export function formatResetLink(reset: IssuedReset, organization: string): string {
  return shownOnce(
    'A password-reset link, shown only this once:',
    [`organization  ${organization}`, `e-mail        ${reset.user.email}`, `link          ${reset.url}`],
    [`Open it to choose a new password for the admin panel. It works once, until ${iso(reset.expiresAt)}.`],
  );
}
