// One lint configuration for every workspace: type-aware rules catch the
// mistakes that matter in auth code (a promise left floating, an `any`
// reaching a token check).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import nextPlugin from '@next/eslint-plugin-next';
import reactHooks from 'eslint-plugin-react-hooks';

export default tseslint.config(
  {
    ignores: ['**/node_modules/**', '**/.next/**', '**/.next-*/**', '**/next-env.d.ts', 'e2e/playwright-report/**', '.lab/**', 'work/**', '**/coverage/**', '**/test-results/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      globals: { ...globals.node },
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
      eqeqeq: ['error', 'always'],
    },
  },
  {
    // The course site (Next.js App Router, React): hooks rules and Next's own checks.
    files: ['apps/course/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks, '@next/next': nextPlugin },
    languageOptions: { globals: { ...globals.browser } },
    settings: { next: { rootDir: 'apps/course/' } },
    rules: {
      ...reactHooks.configs.recommended.rules,
      ...nextPlugin.configs.recommended.rules,
      ...nextPlugin.configs['core-web-vitals'].rules,
    },
  },
  {
    // Learner code: starters, solutions (and so mutants, which are edits of a solution) read the way a
    // learner should write, without workarounds for a lint rule. Only the rules a TODO stub trips are relaxed.
    files: ['labs/*/{starter,solution}/**', 'labs/harness/test/fixtures/labs/*/{starter,solution}/**'],
    rules: {
      // The interfaces learners implement ask for a Promise (MSAL's ICachePlugin, the MCP SDK's
      // OAuthServerProvider): `async` is the plain way to return one, and makes a throw a rejection,
      // also in a stub or a method with nothing to await.
      '@typescript-eslint/require-await': 'off',
      // A TODO stub keeps the parameters its finished code uses, named as in the solution, so that the
      // signature stays the same when the learner fills it in (no `_token` becoming `token`).
      '@typescript-eslint/no-unused-vars': ['error', { args: 'none', varsIgnorePattern: '^_' }],
    },
  },
  {
    // A starter's stub leaves unread the state the finished code reads (the cache plugin's `#dir`).
    files: ['labs/*/starter/**', 'labs/harness/test/fixtures/labs/*/starter/**'],
    rules: { 'no-unused-private-class-members': 'off' },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
  },
);
