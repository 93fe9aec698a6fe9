import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import zaloMiniApp from 'zmp-vite-plugin';

// root is ./src (as in the official templates) with index.html inside it, so plain `vite`,
// `vite build` and `vite preview` work without zmp-cli. The Zalo plugin goes last: it forces a
// relative base in builds and writes www/app-config.json (listCSS / listSyncJS / listAsyncJS).
export default defineConfig({
  root: './src',
  base: '',
  envDir: '..',
  publicDir: false,
  plugins: [react(), zaloMiniApp()],
  build: {
    outDir: '../www',
    emptyOutDir: true,
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 1500,
  },
  // `pnpm dev` proxies /api to the API (default port 3000; API_PROXY=http://host:port to change),
  // so the app and the API share an origin as they will when the server serves www/.
  server: { host: 'localhost', port: 5173, proxy: { '/api': process.env.API_PROXY ?? 'http://localhost:3000' } },
  preview: { host: 'localhost', port: 4173, proxy: { '/api': process.env.API_PROXY ?? 'http://localhost:3000' } },
});
