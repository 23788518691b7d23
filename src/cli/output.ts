// Where a command prints: its answer on stdout (lines for people, `--json` for scripts), warnings on
// stderr so that they never mix into what a script parses.
export function out(line = ''): void {
  process.stdout.write(`${line}\n`);
}

export function warn(line: string): void {
  process.stderr.write(`${line}\n`);
}

export function printJson(value: unknown): void {
  out(JSON.stringify(value, null, 2));
}
