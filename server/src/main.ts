import closeWithGrace from 'close-with-grace';
import sharp from 'sharp';
import { ConfigError, loadConfig } from './config.ts';
import { buildApp } from './app.ts';

// Thin bootstrap: configuration, composition, listen, graceful shutdown. Nothing else.
let config;
try {
  config = loadConfig();
} catch (err) {
  if (err instanceof ConfigError) {
    console.error(err.message);
    process.exit(1);
  }
  throw err;
}

// libvips would otherwise keep decoded photos of earlier uploads in memory.
sharp.cache(false);

const app = await buildApp(config);

closeWithGrace({ delay: config.shutdownGraceMs }, async ({ signal, err }) => {
  if (err) app.log.error({ err }, 'shutting down after an error');
  else app.log.info({ signal }, 'shutting down: finishing in-flight requests');
  await app.close();
});

await app.listen({ host: config.host, port: config.port });
const shown = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
const base = config.publicUrl ?? `http://${shown}:${config.port}`;
const lines = [
  config.miniAppDir ? `  Mini app (mở trên trình duyệt): ${base}/` : null,
  config.miniAppDir ? `  Bàn làm việc cán bộ (máy tính): ${base}/console` : null,
  `  API:                           ${base}/api/v1`,
  config.apiDocs ? `  Tài liệu API:                  ${base}/docs` : null,
  `  Kiểm tra sẵn sàng:             ${base}/ready`,
  config.devLogin ? '  Đăng nhập thử (dev login) đang BẬT — chỉ dùng cho demo.' : null,
].filter(Boolean);
console.log(`\n${lines.join('\n')}\n  Dừng: Ctrl-C\n`);
