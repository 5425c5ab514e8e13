// Jest transformer: strips TypeScript with esbuild (already the bundler) so tests
// need no second compiler; type errors are caught by `tsc` in `npm test`.
const { transformSync } = require('esbuild');

module.exports = {
  process(source, filename) {
    const result = transformSync(source, {
      loader: filename.endsWith('.ts') ? 'ts' : 'js',
      // esbuild.config.mjs reads import.meta.url only to know if it is run directly.
      supported: { 'import-meta': true },
      format: 'cjs',
      target: 'node20',
      sourcemap: 'inline',
      sourcefile: filename,
    });
    return { code: result.code };
  },
};
