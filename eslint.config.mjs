// Lint: typescript-eslint's recommended type-aware rules over every TypeScript folder, and one-way imports.
import js from '@eslint/js';
import { dirname, relative, resolve, sep } from 'node:path';
import tseslint from 'typescript-eslint';

/**
 * Which folders each folder may import (STYLE 13): tools → product → the shared contract, never `test/`
 * outside `test/`. The list is an order (each folder only imports folders after it), so no two folders can
 * import each other. Folders not named here (and `test/`) are not checked.
 */
export const IMPORT_LAYERS = {
  tools: ['functions/shared'],
  bench: [
    'local',
    'stacks',
    'dashboard',
    'tracker',
    'collector',
    'queries',
    'functions/session-processor',
    'functions/firehose-transform',
    'functions/shared',
  ],
  bin: ['stacks'],
  local: [
    'stacks',
    'dashboard',
    'tracker',
    'collector',
    'queries',
    'functions/session-processor',
    'functions/firehose-transform',
    'functions/shared',
  ],
  stacks: ['collector', 'queries', 'functions/session-processor', 'functions/firehose-transform', 'functions/shared'],
  tracker: ['collector'],
  dashboard: [],
  collector: ['functions/shared'],
  queries: ['functions/shared'],
  'functions/session-processor': ['functions/shared'],
  'functions/firehose-transform': ['functions/shared'],
  'functions/shared': [],
};

/** The checked folder a path lies in, relative to the repository root, or undefined. */
function layerOf(path) {
  const [top, sub] = relative(import.meta.dirname, path).split(sep);
  const layer = top === 'functions' ? `functions/${sub}` : top;
  return Object.hasOwn(IMPORT_LAYERS, layer) ? layer : top === 'test' ? 'test' : undefined;
}

const oneWayImports = {
  meta: { type: 'problem', docs: { description: 'imports run one way between the top-level folders' }, schema: [] },
  create(context) {
    const from = layerOf(context.filename);
    if (from === undefined || from === 'test') return {};
    const check = (source) => {
      if (typeof source?.value !== 'string' || !source.value.startsWith('.')) return;
      const to = layerOf(resolve(dirname(context.filename), source.value));
      if (to === undefined || to === from || IMPORT_LAYERS[from].includes(to)) return;
      const allowed = IMPORT_LAYERS[from].length ? IMPORT_LAYERS[from].join(', ') : 'nothing outside itself';
      context.report({
        node: source,
        message: `${from}/ may not import ${to}/ ('${source.value}'): ${from}/ imports ${allowed} (eslint.config.mjs, IMPORT_LAYERS)`,
      });
    };
    return {
      ImportDeclaration: (node) => check(node.source),
      ExportNamedDeclaration: (node) => check(node.source),
      ExportAllDeclaration: (node) => check(node.source),
      ImportExpression: (node) => check(node.source),
    };
  },
};

export default tseslint.config(
  { ignores: ['node_modules/', 'cdk.out/', '.clickstream/', 'coverage/', 'dist/', 'test-output/', '**/*.js', '**/*.mjs', '**/*.cjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    plugins: { clickstream: { rules: { 'one-way-imports': oneWayImports } } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
      'clickstream/one-way-imports': 'error',
    },
  },
  {
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/unbound-method': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
);
