// `npm run deploy`: the tests, then the build pushed to the dev Apps Script project named
// in .clasp.dev.json (gitignored). Refuses while that file is missing or holds a
// placeholder id, and fails unless clasp reports that it pushed. Prod is `npm run release`.

import { push, readTarget, runTests } from './clasp-target.mjs';

const target = readTarget('dev', { action: 'deploy' });
runTests('deployed');
const what = push(target);
console.log(`\nDeployed to dev (${target.file}, script ${target.scriptId}): ${what}.`);
