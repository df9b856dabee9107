// Lint without type information: the type-checker already runs in `npm test`, and typed lint
// rules would double its time on a 2-core machine.
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/node_modules/**', 'functions/lib/**', 'web/dist/**', '.data/**', 'coverage/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/ban-ts-comment': 'error',
      'no-console': ['error', { allow: ['warn', 'error'] }],
      eqeqeq: ['error', 'always'],
    },
  },
  {
    // The local platform and benchmarks are command-line programs: printing is their interface.
    files: ['functions/local/**', 'functions/bench/**', 'test/**'],
    rules: { 'no-console': 'off' },
  },
);
