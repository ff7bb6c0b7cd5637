// ESLint: typescript-eslint's strict type-checked rule set over the whole project.
// Rule options chosen here (not rules switched off in code):
// - template literals may hold numbers (offsets and sizes are printed everywhere);
// - `x!` is allowed: with noUncheckedIndexedAccess every indexed read is `T | undefined`,
//   and a non-null assertion after a bounds check is the idiom that keeps hot loops readable.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['dist/**', 'build/**', 'node_modules/**', 'web/dist/**', 'coverage/**', 'fixtures/**'] },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    // Plain JavaScript (launchers, scripts, benchmark): syntax rules only, Node globals.
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      parserOptions: { projectService: false },
      globals: { ...globals.node },
    },
  },
  {
    // bin/ is CommonJS (bin/package.json): a CommonJS entry starts without the ES module loader.
    files: ['bin/**/*.js'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
