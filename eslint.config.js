import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['node_modules', 'dist', 'data', '.cache', 'test-output'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
    },
  },
  {
    // the ground floor: pure code the server and the client both build on
    files: ['geo/**', 'domain/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              // relative paths reaching server/ or client/ (not packages such as @trpc/server)
              regex: '^(\\.{1,2}/)+(server|client)(/|$)',
              message: 'geo/ and domain/ import nothing from server/ or client/',
            },
          ],
        },
      ],
    },
  },
  {
    // the browser bundle: only types cross from the server (the router's type, its outputs)
    files: ['client/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(\\.{1,2}/)+server(/|$)',
              message:
                'client/ imports server/ only with `import type`; shared values live in domain/',
              allowTypeImports: true,
            },
          ],
        },
      ],
    },
  },
);
