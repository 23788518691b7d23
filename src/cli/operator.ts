// Who is at the keyboard: the name a decision is recorded under, and the one printed commands carry so
// that they work when pasted (never a placeholder). ARAZZO_APPROVER wins over the login name.
import { userInfo } from 'node:os';

export function operatorName(env: NodeJS.ProcessEnv = process.env): string {
  const named = env.ARAZZO_APPROVER?.trim() || env.USER?.trim();
  if (named) return named;
  try {
    return userInfo().username;
  } catch {
    return 'operator';
  }
}

/** A word the shell passes through unchanged, quoted when it is not one already. */
export function shellWord(text: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}
