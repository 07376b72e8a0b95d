import { parseArgs } from 'node:util';
import type { Config } from '../config.js';
import { passwordResetsOf } from '../context.js';
import { iso } from '../http/dates.js';
import { AppError } from '../http/errors.js';
import { openDatabase, type Db } from '../infra/db/database.js';
import { migrateToLatest } from '../infra/db/migrate.js';
import { createOrganizationWithManager, formatCredentials, formatResetLink } from '../modules/accounts/bootstrap.js';
import { AccountsService, isEmail, type OrganizationSummary } from '../modules/accounts/service.js';

export const USERS_USAGE = `Usage: scorm-lens users reset-password <email> [--org <slug>]

Prints a single-use link that sets a new admin-panel password for the user with this e-mail. When
the e-mail is in several organizations, --org names the one (its slug, as \`orgs list\` shows).`;

export const ORGS_USAGE = `Usage: scorm-lens orgs create <name> --manager <email>
       scorm-lens orgs list

create: a new organization with its first manager; prints the manager's password and API key once.
list:   every organization with its id, slug, creation time and number of users.`;

/** What a command wrote: exit code 0, 1 (it could not be done) or 2 (it was asked wrongly). */
type Outcome = { code: 0 | 1 | 2; stdout?: string; stderr?: string };

/** Runs an accounts command against the configured database, brought up to date first as `serve` does. */
async function withDatabase(config: Config, run: (db: Db) => Promise<Outcome>): Promise<number> {
  const database = openDatabase(config);
  let outcome: Outcome;
  try {
    await migrateToLatest(database);
    outcome = await run(database.db);
  } catch (error) {
    if (!(error instanceof AppError) || error.statusCode >= 500) throw error;
    outcome = { code: 1, stderr: error.message };
  } finally {
    await database.close();
  }
  if (outcome.stdout !== undefined) process.stdout.write(`${outcome.stdout}\n`);
  if (outcome.stderr !== undefined) process.stderr.write(`${outcome.stderr}\n`);
  return outcome.code;
}

function parsed(args: string[], options: Record<string, { type: 'string' }>) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
}

/** `users reset-password <email> [--org <slug>]`: for a manager who lost the printed credentials. */
export async function usersCommand(config: Config, args: string[]): Promise<number> {
  const input = parsed(args, { org: { type: 'string' } });
  if ('error' in input || input.positionals[0] !== 'reset-password' || input.positionals.length !== 2) {
    process.stderr.write(`${'error' in input ? `${input.error}\n\n` : ''}${USERS_USAGE}\n`);
    return 2;
  }
  const email = input.positionals[1]!;
  const org = input.values.org;
  return withDatabase(config, async (db) => {
    const accounts = new AccountsService(db);
    const found = await accounts.usersByEmail(email);
    const users = org === undefined ? found : found.filter((user) => user.organization_slug === org);
    if (users.length === 0) return { code: 1, stderr: `No active user has the e-mail ${email}${org === undefined ? '' : ` in ${org}`}.` };
    if (users.length > 1) {
      const slugs = users.map((user) => `  ${user.organization_slug}  (${user.organization_name})`).join('\n');
      return { code: 2, stderr: `${email} is a user of several organizations; name one with --org:\n${slugs}` };
    }
    const user = users[0]!;
    const reset = await passwordResetsOf(config, db, accounts).issue(user.organization_id, user.id);
    return { code: 0, stdout: formatResetLink(reset, user.organization_name) };
  });
}

/** `orgs create <name> --manager <email>` and `orgs list`. */
export async function orgsCommand(config: Config, args: string[]): Promise<number> {
  const input = parsed(args, { manager: { type: 'string' } });
  const [action, name, ...rest] = 'error' in input ? [] : input.positionals;
  const manager = 'error' in input ? undefined : input.values.manager;
  if (action === 'create' && name?.trim() && manager !== undefined && isEmail(manager) && rest.length === 0) {
    return withDatabase(config, async (db) => {
      const credentials = await createOrganizationWithManager(db, { organization: name.trim(), email: manager });
      return { code: 0, stdout: formatCredentials(credentials, config.publicUrl) };
    });
  }
  if (action === 'list' && name === undefined && manager === undefined) {
    return withDatabase(config, async (db) => ({ code: 0, stdout: organizationTable(await new AccountsService(db).listOrganizations()) }));
  }
  process.stderr.write(`${'error' in input ? `${input.error}\n\n` : ''}${ORGS_USAGE}\n`);
  return 2;
}

function organizationTable(organizations: OrganizationSummary[]): string {
  const rows = [
    ['id', 'name', 'slug', 'created', 'users'],
    ...organizations.map((o) => [String(o.id), o.name, o.slug, iso(o.created_at), String(o.users)]),
  ];
  const widths = rows[0]!.map((_cell, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows.map((row) => row.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd()).join('\n');
}
