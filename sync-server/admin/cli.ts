/**
 * Headless administration: `npm run admin -- <command> [--options]`, for provisioning a server
 * by script. The same service module as the admin console (admin/service.ts), the same rules,
 * the same audit entries (actor `cli`). Uses the store the server is configured with
 * (DATA_DIR or COUCHDB_URL). The embedded store is one process's: stop the server first, or
 * use the console while it runs.
 *
 *   create-unit    --id <unit-id> --th <Thai name> --en <English name> --kind <kind> [--parent <id>] --why <reason>
 *   create-user    --username <name> --name <display name> --role <role> [--units a,b] [--password <p>] --why <reason>
 *   reset-password --username <name> [--password <p>] --why <reason>
 *   disable-user   --username <name> --why <reason>
 *   list-units
 *   list-users
 *
 * Exit codes: 0 done, 2 bad input (the message names the field), 1 anything else.
 */
import { parseArgs } from 'node:util';
import { readConfig } from '../config.ts';
import { CouchStorage } from '../storage/couchdb.ts';
import { EmbeddedStorage } from '../storage/embedded.ts';
import { prepareStorage } from '../system-db.ts';
import { BadInput } from './bad-input.ts';
import * as admin from './service.ts';

const USAGE = `usage: npm run admin -- <command> [options]
  create-unit    --id <unit-id> --th <Thai name> --en <English name> --kind <department|prison-region|probation-region|prison-care|probation-office|area-group> [--parent <id>] --why <reason>
  create-user    --username <name> --name <display name> --role <officer|volunteer|supervisor|admin> [--units a,b] [--password <p>] --why <reason>
  reset-password --username <name> [--password <p>] --why <reason>
  disable-user   --username <name> --why <reason>
  list-units
  list-users`;

const OPTIONS = {
  id: { type: 'string' },
  th: { type: 'string' },
  en: { type: 'string' },
  kind: { type: 'string' },
  parent: { type: 'string' },
  username: { type: 'string' },
  name: { type: 'string' },
  role: { type: 'string' },
  units: { type: 'string' },
  password: { type: 'string' },
  why: { type: 'string' }
} as const;

async function main(argv: string[]): Promise<number> {
  const { positionals, values: v } = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  const command = positionals[0];
  const config = readConfig(process.env, []);
  const storage = config.couchdbUrl ? new CouchStorage(config.couchdbUrl) : new EmbeddedStorage(config.dataDir);
  const { system, audit } = await prepareStorage(storage);
  const ctx: admin.AdminContext = { storage, system, audit };
  const actor: admin.Actor = { username: 'cli' };
  const out = (value: unknown) => console.log(typeof value === 'string' ? value : JSON.stringify(value, null, 2));
  try {
    switch (command) {
      case 'create-unit':
        out(
          await admin.addUnit(ctx, actor, {
            unitId: v.id,
            name: { th: v.th, en: v.en },
            kind: v.kind,
            parentId: v.parent ?? null,
            why: v.why
          })
        );
        return 0;
      case 'create-user': {
        const units = v.units
          ? v.units
              .split(',')
              .map((s) => s.trim())
              .filter(Boolean)
          : [];
        const { account, oneTimePassword } = await admin.addAccount(ctx, actor, {
          username: v.username,
          displayName: v.name,
          role: v.role,
          units,
          ...(v.password !== undefined && { password: v.password }),
          why: v.why
        });
        out(account);
        out(`one-time password for ${account.username} (must be changed at the first sign-in): ${oneTimePassword}`);
        return 0;
      }
      case 'reset-password': {
        const { oneTimePassword } = await admin.resetPassword(ctx, actor, v.username ?? '', {
          ...(v.password !== undefined && { password: v.password }),
          why: v.why
        });
        out(`one-time password for ${v.username}: ${oneTimePassword}`);
        return 0;
      }
      case 'disable-user':
        out(await admin.setAccountDisabled(ctx, actor, v.username ?? '', true, { why: v.why }));
        return 0;
      case 'list-units':
        for (const u of await admin.listUnitNodes(ctx))
          out(`${u.unitId}\t${u.kind}\t${u.parentId ?? '-'}\t${u.closedAt ? 'closed' : 'open'}\t${u.name.th} / ${u.name.en}`);
        return 0;
      case 'list-users':
        for (const u of await admin.listAccounts(ctx))
          out(
            `${u.username}\t${u.role}\t${u.units.join(',') || '-'}\t${u.disabledAt ? 'disabled' : 'active'}${u.mustChangePassword ? '\tone-time password' : ''}\t${u.displayName}`
          );
        return 0;
      default:
        console.error(USAGE);
        return 2;
    }
  } catch (e) {
    if (e instanceof BadInput || e instanceof admin.NotFound) {
      console.error(`${e.field}: ${e.message}`);
      return 2;
    }
    throw e;
  } finally {
    await storage.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    console.error(
      error instanceof TypeError && /parseArgs|Unknown option/i.test(String(error.message)) ? `${error.message}\n${USAGE}` : error
    );
    process.exit(error?.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' ? 2 : 1);
  }
);
