import { spawn } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../sync-server/config.ts';
import { closeClients, startTestServer, tempDir } from '../helpers/server.ts';

function admin(dataDir: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'sync-server/admin/cli.ts', ...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, DATA_DIR: dataDir, COUCHDB_URL: '' }
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

describe('npm run admin (headless set-up)', () => {
  const dataDir = tempDir('cli');
  afterAll(closeClients);

  it(
    'provisions an empty store: department, region, office, officer; the officer signs in with the one-time password',
    { timeout: 180_000 },
    async () => {
      const why = ['--why', 'initial set-up'];
      expect(
        (
          await admin(
            dataDir,
            'create-unit',
            '--id',
            'dop',
            '--th',
            'กรมคุมประพฤติ',
            '--en',
            'Department of Probation',
            '--kind',
            'department',
            ...why
          )
        ).code
      ).toBe(0);
      expect(
        (
          await admin(
            dataDir,
            'create-unit',
            '--id',
            'region-5',
            '--th',
            'ภาค 5',
            '--en',
            'Region 5',
            '--kind',
            'probation-region',
            '--parent',
            'dop',
            ...why
          )
        ).code
      ).toBe(0);
      expect(
        (
          await admin(
            dataDir,
            'create-unit',
            '--id',
            'lampang',
            '--th',
            'สำนักงานคุมประพฤติจังหวัดลำปาง',
            '--en',
            'Lampang office',
            '--kind',
            'probation-office',
            '--parent',
            'region-5',
            ...why
          )
        ).code
      ).toBe(0);
      const created = await admin(
        dataDir,
        'create-user',
        '--username',
        'Somchai.K',
        '--name',
        'สมชาย',
        '--role',
        'officer',
        '--units',
        'lampang',
        ...why
      );
      expect(created.code).toBe(0);
      const oneTime = /one-time password for somchai\.k .*: (\S+)$/m.exec(created.stdout)![1];

      const bad = await admin(
        dataDir,
        'create-user',
        '--username',
        'x.y',
        '--name',
        'X',
        '--role',
        'officer',
        '--units',
        'lampang',
        '--password',
        'password12',
        ...why
      );
      expect(bad.code).toBe(2);
      expect(bad.stderr).toMatch(/^password: รหัสผ่านต้องมีตัวพิมพ์ใหญ่/);
      const noWhy = await admin(dataDir, 'disable-user', '--username', 'somchai.k');
      expect(noWhy.code).toBe(2);
      expect(noWhy.stderr).toMatch(/^why: /);

      const units = await admin(dataDir, 'list-units');
      expect(units.stdout).toContain('lampang\tprobation-office\tregion-5\topen');
      const users = await admin(dataDir, 'list-users');
      expect(users.stdout).toMatch(/somchai\.k\tofficer\tlampang\tactive\tone-time password/);
      expect(users.stdout).not.toContain('x.y');

      const server = await startTestServer({ dataDir, seed: false, storage: 'embedded' });
      try {
        const signIn = await fetch(`${server.url}/api/session`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ username: 'somchai.k', password: oneTime })
        });
        expect(signIn.status).toBe(200);
        expect(await signIn.json()).toMatchObject({
          mustChangePassword: true,
          units: [{ id: 'lampang', kind: 'probation-office' }]
        });
      } finally {
        await server.stop({ keepData: true });
      }
      const reset = await admin(dataDir, 'reset-password', '--username', 'somchai.k', '--why', 'forgot');
      expect(reset.code).toBe(0);
      expect((await admin(dataDir, 'disable-user', '--username', 'somchai.k', '--why', 'left')).code).toBe(0);
      expect((await admin(dataDir, 'list-users')).stdout).toMatch(/somchai\.k\tofficer\tlampang\tdisabled/);
      expect((await admin(dataDir, 'frobnicate')).code).toBe(2);
    }
  );
});
