// Lint rules, including the layer rules of ../shared/ARCHITECTURE.md:
// drivers/ never imports electron or React; renderer/ imports only types from the API
// contract; only electron/main.ts and electron/preload.ts import `electron`.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import prettier from 'eslint-config-prettier';

const noElectron = {
  name: 'electron',
  message: 'Only electron/main.ts and electron/preload.ts import electron.',
};

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', 'test-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      'no-restricted-imports': ['error', { paths: [noElectron] }],
    },
  },
  {
    files: ['drivers/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [noElectron],
          patterns: [
            {
              group: ['react', 'react-dom', 'react/*', 'zustand', 'three'],
              message: 'drivers/ is Node-only device code.',
            },
            {
              group: ['**/electron/**', '**/renderer/**'],
              message: 'drivers/ sits below the host and the UI.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['renderer/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [noElectron],
          patterns: [
            {
              group: ['**/drivers/**', 'node:*', 'fs', 'path', 'ws', 'serialport', 'usb'],
              message: 'renderer/ talks to the host only through the API.',
            },
            {
              // A re-include cannot reach inside an excluded folder (gitignore rules), so
              // electron/api itself is re-included before its files.
              group: [
                '**/electron/*',
                '!**/electron/api',
                '**/electron/*/**',
                '!**/electron/api/*',
                // Pure code shared by host and page (no imports beyond types).
                '!**/electron/api/shared/*',
              ],
              message: 'renderer/ imports only the API contract (electron/api/).',
            },
            {
              group: ['**/electron/api/*', '!**/electron/api/shared'],
              allowTypeImports: true,
              message: 'renderer/ imports only types from the API contract.',
            },
          ],
        },
      ],
    },
  },
  {
    // CommonJS shims (preloaded with node -r) use require by nature.
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['electron/main.ts', 'electron/preload.ts', 'test/**'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    // Macros (issue #15) run in the QuickJS sandbox: `aquila` and `console`, no Node or DOM.
    files: ['assets/macros/**'],
    languageOptions: { globals: { aquila: 'readonly', console: 'readonly' } },
  },
);
