/** Jest runs TypeScript through @swc/jest; type-checking is `tsc --noEmit`, run once by `npm test`. */
const swc = ['@swc/jest', { jsc: { target: 'es2022' }, module: { type: 'commonjs' } }];

module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // The SIGKILL test spawns and kills the runtime; it belongs to `npm run test:reliability` (RELIABILITY=1).
  testPathIgnorePatterns: process.env.RELIABILITY ? ['/node_modules/'] : ['/node_modules/', '/test/reliability/sigkill'],
  // arktype ships ES modules only; Node 20's require() cannot load them, so swc turns them into CommonJS.
  transform: { '^.+\\.(t|j|mj)s$': swc },
  transformIgnorePatterns: ['/node_modules/(?!(arktype|arkregex|@ark)/)'],
  setupFilesAfterEnv: ['<rootDir>/test/helpers/setup.ts'],
  testTimeout: 60_000,
};
