// `npm run build`'s second half (package.json "postbuild"): tsc compiles TypeScript only, so the files
// the compiled modules read beside themselves are copied next to them, and a stamp records when the
// build finished. bin/arazzo-temporal.mjs runs dist/ only when the stamp is newer than every source.
import { cpSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const copies = [
  ['src/codec/failure-converter.cjs', 'dist/src/codec/failure-converter.cjs'],
  ['src/simulators/official', 'dist/src/simulators/official'],
  ['scripts/project-root.mjs', 'dist/scripts/project-root.mjs'],
  ['scripts/temporal-install.mjs', 'dist/scripts/temporal-install.mjs'],
  ['scripts/kafka-install.mjs', 'dist/scripts/kafka-install.mjs'],
];
for (const [from, to] of copies) cpSync(join(root, from), join(root, to), { recursive: true });
writeFileSync(join(root, 'dist', '.build-stamp'), `${new Date().toISOString()}\n`);
