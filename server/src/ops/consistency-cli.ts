/**
 * `npm run check:consistency`: runs the consistency checker against the configured database
 * (DATABASE_URL, or the PGlite data under DATA_DIR) and blob store (DATA_DIR/blobs).
 * Exit code: 0 no problem, 1 problems found, 2 could not check.
 * Flags: --json (machine-readable report), --pending-hours N (grace for in-flight uploads).
 * On PGlite stop the API first: the embedded database is single-process.
 */
import { ConfigError, loadConfig } from '../config.ts';
import { connect } from '../db/connect.ts';
import { appliedMigrationCount, expectedMigrationCount } from '../db/migrate.ts';
import { createFsBlobStore } from '../storage/index.ts';
import { checkConsistency, formatReport } from './consistency.ts';

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<number> {
  const config = loadConfig();
  const database = await connect(config.database);
  try {
    const applied = await appliedMigrationCount(database);
    if (applied !== expectedMigrationCount()) {
      console.error(
        `Cơ sở dữ liệu chưa được cập nhật (đã áp dụng ${applied}/${expectedMigrationCount()} migration). ` +
          '(database not migrated: start the API once first)',
      );
      return 2;
    }
    const hours = flag('--pending-hours');
    const report = await checkConsistency(
      { db: database.db, blobs: createFsBlobStore(`${config.dataDir}/blobs`) },
      hours === undefined ? {} : { pendingGraceMs: Number(hours) * 3600_000 },
    );
    console.log(process.argv.includes('--json') ? JSON.stringify(report, null, 2) : formatReport(report));
    return report.ok ? 0 : 1;
  } finally {
    await database.close();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    if (err instanceof ConfigError) console.error(err.message);
    else console.error('Không kiểm tra được (check failed):', err instanceof Error ? err.message : err);
    process.exit(2);
  },
);
