/**
 * `npm run admin:create -- --name "…" --province "…" [--province-code 82] [--commune "…"
 * --commune-code 29281] [--role admin|officer|province_viewer] [--zalo-id …|--user-id …]`:
 * the first account of an empty database (docs/onboarding.md §7). Migrates the database first,
 * then creates what is missing and prints how to sign in. On PGlite stop the API first: the
 * embedded database is single-process.
 */
import { ConfigError, loadConfig } from '../config.ts';
import { connect } from '../db/connect.ts';
import { runMigrations } from '../db/migrate.ts';
import { systemClock } from '../lib/clock.ts';
import { createDevAccount, createFirstAdmin, type FirstAdminInput } from './first-admin.ts';

const ROLE_WORDS = { admin: 'Quản trị hệ thống', officer: 'Cán bộ xã', province_viewer: 'Cán bộ tỉnh (chỉ xem)' };

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? process.argv[i + 1] : undefined;
  return v && !v.startsWith('--') ? v : undefined;
}

const USAGE = `Cách dùng (usage):
  npm run admin:create -- --name "Nguyễn Thị Lan" --province "Đồng Tháp" --province-code 82 \\
      [--commune "Xã Mỹ Hòa" --commune-code 29281] [--role admin|officer|province_viewer] \\
      [--zalo-id <Zalo user id> | --user-id <uuid of an account that signed in once>]
  npm run admin:create -- --name "Nguyễn Văn An" --role household   # a demo phone account, no role`;

/** A development-login account without a role, for trying the phone's invite code in the demo. */
async function householdAccount(name: string): Promise<number> {
  const config = loadConfig();
  const database = await connect(config.database);
  try {
    await runMigrations(database);
    const r = await createDevAccount(database.db, systemClock, name);
    console.log(
      `Tài khoản: ${r.displayName} (${r.created ? 'đã tạo' : 'đã có'}). Trên điện thoại (bản thử, DEV_LOGIN=true): ` +
        `chọn “${r.displayName}” trong danh sách đăng nhập thử rồi nhập mã mời.`,
    );
    return 0;
  } finally {
    await database.close();
  }
}

async function main(): Promise<number> {
  const name = flag('name');
  const provinceName = flag('province');
  const role = flag('role');
  if (name && role === 'household') return householdAccount(name);
  if (!name || !provinceName || (role && !(role in ROLE_WORDS))) {
    console.error(USAGE);
    return 2;
  }
  const input: FirstAdminInput = {
    name,
    provinceName,
    provinceCode: flag('province-code'),
    communeName: flag('commune'),
    communeCode: flag('commune-code'),
    role: role as FirstAdminInput['role'],
    userId: flag('user-id'),
    zaloId: flag('zalo-id'),
  };
  const config = loadConfig();
  const database = await connect(config.database);
  try {
    await runMigrations(database);
    const r = await createFirstAdmin(database.db, systemClock, input);
    const base = config.publicUrl ?? `http://localhost:${config.port}`;
    const made = (b: boolean) => (b ? 'đã tạo' : 'đã có');
    console.log(
      [
        `Tài khoản: ${r.displayName} (${made(r.created.user)}, id ${r.userId})`,
        `Vai trò:   ${ROLE_WORDS[r.role as keyof typeof ROLE_WORDS]} — ${r.unitName} (${made(r.created.role)})`,
        `Tỉnh:      ${made(r.created.province)}${r.communeId ? ` · Xã: ${made(r.created.commune)}` : ''}`,
        '',
        'Đăng nhập (how to sign in):',
        r.devLogin
          ? `  Bản thử (npm start, DEV_LOGIN=true): mở ${base}/console, chọn “${r.displayName}” trong danh sách đăng nhập thử.`
          : `  Mở ${base}/console và đăng nhập bằng Zalo với tài khoản Zalo đã gắn.`,
        r.devLogin
          ? '  Chạy thật (không có đăng nhập thử): cho người đó đăng nhập Zalo một lần, rồi chạy lại lệnh với --user-id <id tài khoản>.'
          : null,
        r.role === 'admin'
          ? '  Tiếp theo: tải danh sách xã (mục “Đơn vị hành chính”), rồi bổ nhiệm cán bộ xã (mục “Phân công”).'
          : '  Tiếp theo: tải danh sách hộ (mục “Nhập danh sách”), xem README “Onboard a fresh commune through the console”.',
      ]
        .filter((l) => l !== null)
        .join('\n'),
    );
    return 0;
  } finally {
    await database.close();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    if (err instanceof ConfigError) console.error(err.message);
    else console.error('Không tạo được tài khoản (failed):', err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
