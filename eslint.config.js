// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import daifa from './tools/eslint/boundaries.js';

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'release/', 'data/', 'coverage/', 'test/lint/fixtures/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node }, ecmaVersion: 2023, sourceType: 'module' },
    plugins: { daifa },
    rules: {
      'daifa/boundaries': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  { files: ['renderer/**/*.{ts,tsx}', 'console/**/*.{ts,tsx}'], languageOptions: { globals: { ...globals.browser } } },
);
