// How an Arazzo workflow (the run's own, or a nested one) ends, short of an exception: completed
// with its outputs, or stopped by a person's decision. Failures are thrown as ApplicationFailures.
export type Ending =
  | { kind: 'completed'; outputs: Record<string, unknown> }
  | { kind: 'rejected' | 'approval-expired' | 'compensated'; message: string };
