// The shape a signal handler receives for an argument the worker could not decrypt (see
// undecodable-messages.ts). Pure, no imports: workflow code may import it.

/** The one key of the placeholder. */
export const UNDECODABLE = '$undecodable';

/** What a signal handler receives instead of an argument the worker could not decrypt. */
export interface UndecodableMessage {
  /** Why, e.g. `payload encrypted with unknown codec key id "k3" (have: k1, k2)`. Never payload bytes. */
  $undecodable: string;
}

/** Whether a signal argument is the placeholder for one the worker could not decrypt. */
export function isUndecodable(value: unknown): value is UndecodableMessage {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.keys(value).length === 1 &&
    typeof (value as Record<string, unknown>)[UNDECODABLE] === 'string'
  );
}
