#!/usr/bin/env node
// The `flowgrad` command: runs the CLI from the built package (dist/). From a checkout
// without a build, `npm run build` first, or run `node --import tsx src/cli/main.ts`.
let cli;
try {
  cli = await import('../dist/cli/main.js');
} catch (err) {
  if (err && err.code === 'ERR_MODULE_NOT_FOUND' && String(err.message).includes('dist/cli/main.js')) {
    process.stderr.write('flowgrad: dist/cli/main.js is missing: run `npm run build` first (or use `node --import tsx src/cli/main.ts`).\n');
    process.exit(1);
  }
  throw err;
}
process.exitCode = await cli.main(process.argv);
