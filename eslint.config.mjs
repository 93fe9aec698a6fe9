// Lint rules for the whole workspace (docs/architecture.md "Style"). Recommended sets only, so a
// finding is a likely bug, not a taste; a rule switched off says why on its line.
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      '**/www/**',
      '**/coverage/**',
      'data/**',
      'migrations/**',
      'tests/fixtures/openapi-client/**',
      'tests/.artifacts/**',
      'mini-app/.screenshots/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      // `_`-prefixed names mark a parameter kept for its position (callbacks, interface shapes).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true },
      ],
    },
  },
  {
    // Browser code: the app, and the page functions the perf/screenshot scripts evaluate in Chromium.
    files: ['mini-app/src/**/*.{ts,tsx}', 'mini-app/scripts/**/*.mjs', 'mini-app/e2e/**/*.{ts,mjs}'],
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
  },
  {
    // These tests corrupt a valid fixture into shapes the type forbids, so they handle it as untyped JSON.
    files: ['shared/src/criteria/validate.test.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['mini-app/src/**/*.{ts,tsx}', 'mini-app/tests/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
    },
  },
);
