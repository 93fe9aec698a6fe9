import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import zaloMiniApp from 'zmp-vite-plugin';

/**
 * @hoctap/shared declares its zod schemas beside the engine's constants (one contract for server
 * and client). The phone never parses with them, but Rollup cannot know that building a schema has
 * no side effect, so every `z.object(…)` would keep all of zod (~60 KB gzip). In shared's modules
 * `z` is rebound to a local name that `treeshake.manualPureFunctions` marks pure (calls on it and
 * on what they return): unused schemas drop out, and zod with them. A schema the client really used
 * would NOT work (Rollup may drop parts of it), so the build fails if zod 4 reaches any chunk, and
 * if the validating server catalog (@hoctap/shared/catalog) is imported: use src/services/catalog.ts.
 */
function zodSchemasArePure(): Plugin {
  return {
    name: 'hoctap:zod-schemas-are-pure',
    apply: 'build',
    resolveId(source, importer) {
      if (source === '@hoctap/shared/catalog' && importer && !importer.includes('/tests/'))
        this.error(
          `${importer}: import src/services/catalog.ts (and @hoctap/shared/catalog/ids), not the server's catalog`,
        );
      return null;
    },
    generateBundle(_options, bundle) {
      for (const chunk of Object.values(bundle))
        if (chunk.type === 'chunk')
          for (const id of Object.keys(chunk.modules))
            if (/[\\/]zod[\\/]v4[\\/]/.test(id) && !id.includes('zmp-sdk'))
              this.error(`${chunk.fileName} bundles zod (${id}): the client must not run the contract's schemas`);
    },
    transform(code, id) {
      const zodImport = /^import \{ z \} from ['"]zod['"];?$/m;
      if (!/[\\/]shared[\\/]src[\\/]/.test(id) || !zodImport.test(code)) return null;
      return { code: code.replace(zodImport, "import { z as zod$ } from 'zod'; const z = zod$;"), map: null };
    },
  };
}

/**
 * zmp-ui components whose styles the app ships. zmp-ui's zaui.css styles all 33 of its components
 * (~102 KB minified, ~18 KB gzip, on every cold start before the first screen); each component also
 * ships its own stylesheet (zmp-ui/<name>/styles/<name>.css): the same shared part (custom
 * properties, keyframes) followed by that component's rules. The build fails if a zmp-ui component
 * reaches the bundle without its name here, so a newly used component cannot come out unstyled.
 */
export const ZAUI_COMPONENTS = [
  'app',
  'router',
  'snackbar-provider',
  'icon',
  'button',
  'progress',
  'switch',
  'modal',
  'image-viewer',
  'page',
  'header',
  'input',
  'select',
  'trigger',
  'sheet',
];
// Bundled zmp-ui modules that have no stylesheet of their own (styled by a listed component's rules).
const ZAUI_UNSTYLED = new Set(['common/modal-wrapper', 'common/modal-mask', 'components/portal']);

/** The top-level blocks of minified CSS ("sel{…}", "@media …{…}"), nesting kept inside each block. */
function cssBlocks(css: string): string[] {
  const blocks: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < css.length; i++) {
    if (css[i] === '{') depth++;
    else if (css[i] === '}' && --depth === 0) {
      blocks.push(css.slice(start, i + 1).trim());
      start = i + 1;
    }
  }
  return blocks.filter(Boolean);
}

/** Drops the dark theme's rules: the app never switches zmp-ui to dark (its own colours are light only). */
function withoutDarkTheme(css: string): string {
  return cssBlocks(css)
    .map((block) => {
      const head = block.slice(0, block.indexOf('{'));
      if (head.startsWith('@media') || head.startsWith('@supports'))
        return `${head}{${withoutDarkTheme(block.slice(head.length + 1, -1))}}`;
      if (head.startsWith('@')) return block;
      const selectors = head.split(',').filter((sel) => !sel.includes('[zaui-theme=dark]'));
      return selectors.length ? selectors.join(',') + block.slice(head.length) : '';
    })
    .join('');
}

/**
 * zmp-ui rules for parts of the listed components the app never renders (one-time-code, password
 * and search inputs, counters and clear buttons, action sheets and sheet actions, snackbars at the
 * top, with an action, an icon or a countdown, loading and large buttons, switch labels, progress labels, hidden scrollbars, modal covers, option groups): dropped by selector so the stylesheet stays within its gzip budget (tests/build-limits).
 */
const ZAUI_UNUSED = [
  'zaui-input-otp',
  'zaui-input-password',
  'zaui-input-clear',
  'zaui-input-status-success',
  'zaui-input-show-count',
  'zaui-input-textarea-has-show-count',
  'zaui-input-helper-text',
  'zaui-input-small',
  'zaui-input-large',
  'zaui-action-sheet',
  'zaui-snackbar-wifi',
  'zaui-snackbar-countdown',
  'zaui-snackbar-progress',
  'zaui-snackbar-loading',
  'zaui-snackbar-vertical-action',
  'zaui-snackbar-action',
  'zaui-snackbar-top',
  '-top-visible',
  'enter-top',
  'exit-active-top',
  'enter-active-top',
  'zaui-snackbar-success',
  'zaui-snackbar-error',
  'zaui-snackbar-info',
  'zaui-snackbar-warning',
  'zaui-btn-large',
  'zaui-btn-loading',
  'zaui-btn-prefix-icon',
  'zaui-btn-suffix-icon',
  'zaui-sheet-content-action',
  'zaui-sheet-content-header',
  'zaui-sheet-content-title',
  // Sheet animates with react-spring, not with these transition classes.
  'zaui-sheet-content-appear',
  'zaui-sheet-content-enter',
  'zaui-sheet-content-exit',
  // Placeholders of other engines: Zalo's webviews are Chromium and WebKit.
  '::-moz-placeholder',
  ':-ms-input-placeholder',
  '::-ms-input-placeholder',
  // The app's header has no divider line; its back button and title are styled by the app (screens.css).
  '.zaui-header::after',
  '.zaui-header-back',
  '.zaui-header-title',
  'zaui-select-group',
  '.zaui-btn-secondary.zaui-btn-neutral',
  'zaui-switch-label',
  'zaui-snackbar-prefix-icon',
  'zaui-input-medium',
  'zaui-page-hide-scrollbar',
  // One photo at a time: the viewer shows no previous/next buttons.
  'zaui-image-viewer-nav-btn',
  'zaui-progress-show-label',
  'zaui-switch-small',
  'zaui-modal-content-cover',
  // Danger buttons appear only as a modal's tertiary action (.zaui-btn-tertiary.zaui-btn-danger).
  '.zaui-btn-primary.zaui-btn-danger',
  '.zaui-btn-secondary.zaui-btn-danger',
];
/** Whole selectors dropped (a fragment would also match the rules that are kept). */
const ZAUI_UNUSED_SELECTORS = new Set([
  '.zaui-btn-danger',
  '.zaui-btn-danger:active',
  '.zaui-btn-danger:focus-visible',
]);
const UNUSED_KEYFRAMES = ['cursorAnimate'];

function withoutUnusedParts(css: string): string {
  return cssBlocks(css)
    .map((block) => {
      const head = block.slice(0, block.indexOf('{'));
      if (head.startsWith('@keyframes')) return UNUSED_KEYFRAMES.some((k) => head.includes(k)) ? '' : block;
      // The icon font (from Zalo's CDN): the few zmp-ui icons left are drawn as characters (app.css).
      if (head.startsWith('@font-face')) return block.includes('zaui-icons') ? '' : block;
      if (head.startsWith('@media') || head.startsWith('@supports'))
        return `${head}{${withoutUnusedParts(block.slice(head.length + 1, -1))}}`;
      if (head.startsWith('@')) return block;
      const selectors = head
        .split(',')
        .filter((sel) => !ZAUI_UNUSED_SELECTORS.has(sel) && !ZAUI_UNUSED.some((u) => sel.includes(u)));
      return selectors.length ? selectors.join(',') + block.slice(head.length) : '';
    })
    .join('');
}

/** Keeps the :root custom properties that something uses (var(--x) in these styles, the app's or zmp-ui's code). */
function withUsedProperties(css: string, users: string): string {
  return css.replace(/:root\{([^}]*)\}/g, (_m, body: string) => {
    const decls = body.split(';').filter(Boolean);
    const kept = new Set<string>();
    const uses = (name: string, text: string) => text.includes(`var(${name})`) || text.includes(`var(${name},`);
    for (let grew = true; grew; ) {
      grew = false;
      const text = css.replace(/:root\{[^}]*\}/g, '') + users + [...kept].join(';');
      for (const d of decls)
        if (!kept.has(d) && uses(d.slice(0, d.indexOf(':')), text)) {
          kept.add(d);
          grew = true;
        }
    }
    return kept.size ? `:root{${[...kept].join(';')}}` : '';
  });
}

function zauiUsedComponents(): Plugin {
  const require = createRequire(import.meta.url);
  const zaui = dirname(require.resolve('zmp-ui/package.json'));
  const fullSheet = join(zaui, 'zaui.css');
  const files = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)],
    );
  return {
    name: 'hoctap:zaui-used-components',
    apply: 'build',
    enforce: 'pre',
    async resolveId(source, importer) {
      if (source !== 'zmp-ui/zaui.css') return null;
      const resolved = await this.resolve(source, importer, { skipSelf: true });
      return resolved?.id === fullSheet ? fullSheet : null;
    },
    load(id) {
      if (id !== fullSheet) return null;
      // The shared part is the whole of a component stylesheet that has no rules of its own.
      const shared = readFileSync(join(zaui, 'portal/styles/portal.css'), 'utf8');
      let css = shared;
      for (const name of ZAUI_COMPONENTS) {
        const own = readFileSync(join(zaui, name, 'styles', `${name}.css`), 'utf8');
        if (!own.startsWith(shared))
          this.error(`zmp-ui/${name}/styles/${name}.css no longer starts with the shared part`);
        css += own.slice(shared.length);
      }
      const users = [
        ...files(fileURLToPath(new URL('./src', import.meta.url))).filter((f) => /\.(css|tsx?)$/.test(f)),
        ...files(join(zaui, 'esm')).filter((f) => f.endsWith('.js')),
      ]
        .map((f) => readFileSync(f, 'utf8'))
        .join('\n');
      return withUsedProperties(withoutUnusedParts(withoutDarkTheme(css)), users);
    },
    generateBundle(_options, bundle) {
      const listed = new Set(ZAUI_COMPONENTS.map((n) => `components/${n}`));
      for (const chunk of Object.values(bundle))
        if (chunk.type === 'chunk')
          for (const id of Object.keys(chunk.modules)) {
            const m = /[\\/]zmp-ui[\\/]esm[\\/]((?:components|common)[\\/][^\\/]+)[\\/]/.exec(id);
            const name = m?.[1]!.replace('\\', '/');
            if (name && !listed.has(name) && !ZAUI_UNSTYLED.has(name))
              this.error(`${chunk.fileName} uses zmp-ui ${name}: add it to ZAUI_COMPONENTS (vite.config.mts)`);
          }
    },
  };
}

/**
 * The stylesheet must not hold back the splash: a <link rel=stylesheet> in <head> blocks the first
 * paint until it has downloaded (on Slow 3G it shares the link with the script). It is preloaded
 * instead (fetched at once, at high priority, blocking nothing) and applied when it arrives; app.ts
 * waits for it before the first render, so the app never shows unstyled. (media="print" would
 * also not block, but Chromium then fetches it last, after the script.) Build only: in `vite` dev
 * the CSS is injected by the script anyway.
 */
function stylesheetAfterSplash(): Plugin {
  return {
    name: 'hoctap:stylesheet-after-splash',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler: (html) =>
        html.replace(
          /<link rel="stylesheet"( crossorigin)? href="([^"]+\.css)">/g,
          (_m, co = '', href) =>
            `<link rel="preload" as="style"${co} href="${href}" onload="this.onload=null;this.rel='stylesheet'" data-app-css>` +
            `<noscript><link rel="stylesheet" href="${href}"></noscript>`,
        ),
    },
  };
}

/**
 * Writes file.br (brotli 11) and file.gz (gzip 9) beside every text file of the build: the server
 * sends them as they are (@fastify/static preCompressed), so the phone gets the smallest encoding
 * and the server spends no CPU per request. Files under 1 KB are left alone.
 */
function precompress(): Plugin {
  return {
    name: 'hoctap:precompress',
    apply: 'build',
    enforce: 'post',
    writeBundle(options) {
      const outDir = options.dir!;
      const walk = (d: string): string[] =>
        readdirSync(d, { withFileTypes: true }).flatMap((e) =>
          e.isDirectory() ? walk(join(d, e.name)) : [join(d, e.name)],
        );
      for (const file of walk(outDir)) {
        if (!/\.(js|mjs|css|html|json|svg|txt)$/.test(file)) continue;
        const raw = readFileSync(file);
        if (raw.length < 1024) continue;
        writeFileSync(`${file}.gz`, gzipSync(raw, { level: 9 }));
        writeFileSync(
          `${file}.br`,
          brotliCompressSync(raw, {
            params: {
              [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
              [constants.BROTLI_PARAM_SIZE_HINT]: raw.length,
            },
          }),
        );
      }
    },
  };
}

// root is ./src (as in the official templates) with index.html inside it, so plain `vite`,
// `vite build` and `vite preview` work without zmp-cli. The Zalo plugin goes last: it forces a
// relative base in builds and writes www/app-config.json (listCSS / listSyncJS / listAsyncJS).
export default defineConfig({
  root: './src',
  base: '',
  envDir: '..',
  publicDir: false,
  plugins: [zodSchemasArePure(), zauiUsedComponents(), react(), stylesheetAfterSplash(), precompress(), zaloMiniApp()],
  build: {
    outDir: '../www',
    emptyOutDir: true,
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 1500,
    rollupOptions: {
      // See zodSchemasArePure().
      treeshake: { manualPureFunctions: ['z'] },
    },
  },
  // `pnpm dev` proxies /api to the API (default port 3000; API_PROXY=http://host:port to change),
  // so the app and the API share an origin as they will when the server serves www/.
  server: { host: 'localhost', port: 5173, proxy: { '/api': process.env.API_PROXY ?? 'http://localhost:3000' } },
  preview: { host: 'localhost', port: 4173, proxy: { '/api': process.env.API_PROXY ?? 'http://localhost:3000' } },
});
