import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'native/build/', 'test-results/', 'bench-out/', '.tmp/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      // A user's filter must never become JavaScript source (CSP, injection): see STYLE.md §6.
      'no-new-func': 'error',
      'no-implied-eval': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    // core/ is pure: no Node, no DOM, nothing from outside core/ (DESIGN.md "Folders").
    files: ['core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['node:*', 'fs', 'path', 'os', 'child_process', 'net', 'http', 'stream', 'zlib', 'crypto', 'events', 'url', 'util', 'buffer'], message: 'core/ must not use Node APIs.' },
          { group: ['../../electron/*', '../../renderer/*', '../../native/*', '**/electron/**', '**/renderer/**', '**/native/**'], message: 'core/ imports nothing outside core/.' },
          { group: ['react', 'react-dom', 'zustand', 'electron'], message: 'core/ has no UI or Electron dependencies.' },
        ],
      }],
      'no-restricted-globals': ['error', 'window', 'document', 'process', 'Buffer', 'require', '__dirname'],
    },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
