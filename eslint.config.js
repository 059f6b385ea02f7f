import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['.dependency-cruiser.cjs', '.ci/**', 'node_modules/**', 'var/**', 'src/web/vendor/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
      // prettier wraps code at 120 columns; this keeps strings and comments there too.
      'max-len': ['error', { code: 120, ignoreUrls: true }],
    },
  },
  {
    files: ['src/core/**/*.ts', 'network/domain/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-globals': ['error', 'process', 'setTimeout', 'setInterval'],
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: 'The core takes time as an argument.' },
        { object: 'Math', property: 'random', message: 'The core takes a seeded random source.' },
      ],
    },
  },
  {
    // No module-level mutable state in the core: scratch and caches belong to a call (a workspace
    // object passed explicitly), never to the module, so concurrent calls cannot share them.
    files: ['src/core/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector:
            'Program > VariableDeclaration[kind="let"], ExportNamedDeclaration > VariableDeclaration[kind="let"]',
          message: 'No module-level `let` in src/core: pass state explicitly.',
        },
        {
          selector:
            ':matches(Program, ExportNamedDeclaration) > VariableDeclaration > VariableDeclarator > ' +
            'NewExpression[callee.name=/^(Map|Set|WeakMap|WeakSet)$|Array$/]',
          message: 'No module-level mutable collection in src/core (scratch or cache): allocate it per call.',
        },
      ],
    },
  },
  {
    files: ['src/web/**/*.js'],
    languageOptions: {
      globals: {
        window: 'readonly',
        document: 'readonly',
        fetch: 'readonly',
        console: 'readonly',
        FormData: 'readonly',
        setInterval: 'readonly',
      },
    },
  },
);
