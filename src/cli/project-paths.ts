// The CLI's view of the project's files; src/project-files.ts is the one source of where they are.
import { resolve } from 'node:path';
import { defaultDocumentRoot } from '../project-files.js';

/** The worker's document root: the flag, else ARAZZO_DOCUMENT_ROOT, else the shipped `arazzo/` folder. */
export function documentRootFrom(option: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  return resolve(option ?? env.ARAZZO_DOCUMENT_ROOT ?? defaultDocumentRoot);
}
