// Colours and the closing summary line, for a person at a terminal only: piped or redirected output
// (scripts, CI logs, tests) stays plain text. NO_COLOR turns colours off, FORCE_COLOR=1 on.
const CODES = { green: 32, yellow: 33, red: 31, dim: 2, bold: 1 } as const;

export type Colour = keyof typeof CODES;

/** Whether stdout gets colours and the summary line. */
export function styled(stream: NodeJS.WriteStream = process.stdout, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR) return false;
  if (env.FORCE_COLOR && env.FORCE_COLOR !== '0') return true;
  return Boolean(stream.isTTY);
}

export function paint(colour: Colour, text: string, on = styled()): string {
  return on ? `\x1b[${CODES[colour]}m${text}\x1b[0m` : text;
}

/** The colour a run's (or a step's) state is shown in. */
export function colourOf(state: string): Colour {
  if (['completed', 'succeeded', 'compensated', 'rejected'].includes(state)) return 'green';
  if (['awaiting-approval', 'needs-attention', 'running', 'still-running', 'pending'].includes(state)) return 'yellow';
  return 'red';
}
