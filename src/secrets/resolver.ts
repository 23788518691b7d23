// Reading the value a reference names. Runs only inside activities (node:fs, process.env).
import { realpathSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, relative, isAbsolute } from 'node:path';
import { type SecretPolicy, refProblem } from './policy.js';
import { parseRef, type SecretRef } from '../arazzo/secrets/refs.js';
import { sinksFor } from './sinks.js';

export type SecretErrorType = 'SecretNotAllowed' | 'SecretNotFound' | 'SecretHostNotAllowed';

export class SecretRefError extends Error {
  constructor(
    readonly type: SecretErrorType,
    message: string,
  ) {
    super(message);
    this.name = 'SecretRefError';
  }
}

export interface ResolveOptions {
  policy: SecretPolicy;
  /** Reads a plainly given input back from the run's start event (see run-input.ts). */
  readRunInput?: (name: string) => Promise<unknown>;
  allowInput?: boolean;
  env?: NodeJS.ProcessEnv;
}

/** Throws SecretRefError (never with the value in its message). */
export function checkRef(ref: SecretRef, policy: SecretPolicy, allowInput = false) {
  const parsed = parseRef(ref.$secret);
  if ('error' in parsed) throw new SecretRefError('SecretNotAllowed', `secret reference ${parsed.error}`);
  const problem = refProblem(parsed, policy, { allowInput });
  if (problem) throw new SecretRefError('SecretNotAllowed', `secret reference "${ref.$secret}" refused: ${problem}`);
  return parsed;
}

export async function resolveRef(ref: SecretRef, options: ResolveOptions): Promise<unknown> {
  const parsed = checkRef(ref, options.policy, options.allowInput);
  const missing = (why: string) => new SecretRefError('SecretNotFound', `secret ${ref.$secret}: ${why}`);
  switch (parsed.scheme) {
    case 'env': {
      const value = (options.env ?? process.env)[parsed.name];
      if (!value) throw missing('the variable is not set in the worker');
      return value;
    }
    case 'file': {
      const dir = options.policy.secretsDir!;
      return readInside(dir, parsed.name).catch(() => {
        throw missing('no such file in the secrets directory');
      });
    }
    case 'delivered': {
      const sink = sinksFor(options.policy.sinkDir).get(parsed.sink!);
      if (!sink) throw new SecretRefError('SecretNotAllowed', `no "${parsed.sink}" sink`);
      return sink.read(parsed.name).catch(() => {
        throw missing('nothing was delivered under that name');
      });
    }
    case 'input': {
      if (!options.readRunInput) throw missing('not running inside a workflow activity');
      const value = await options.readRunInput(parsed.name);
      if (value === undefined) throw missing('the run was not started with that input');
      return value;
    }
  }
}

/** A file directly inside `dir` (symbolic links may not lead out of it); one trailing newline dropped. */
async function readInside(dir: string, name: string): Promise<string> {
  const realDir = realpathSync(dir);
  const real = realpathSync(join(dir, name));
  const rel = relative(realDir, real);
  if (!rel || rel.startsWith('..') || isAbsolute(rel)) throw new Error('outside the secrets directory');
  return (await readFile(real, 'utf8')).replace(/\r?\n$/, '');
}
