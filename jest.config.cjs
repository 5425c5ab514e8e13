/** Jest runs TypeScript through esbuild; see tests/support/esbuild-jest-transform.cjs. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/tests'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.(ts|mjs)$': '<rootDir>/tests/support/esbuild-jest-transform.cjs' },
  moduleFileExtensions: ['ts', 'js', 'mjs', 'cjs', 'json'],
};
