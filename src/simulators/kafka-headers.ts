// What the Kafka programs here (order responder, rotation listener) share: headers read as strings, and their
// topics made to exist before they subscribe.
import type { IHeaders, Kafka } from 'kafkajs';

/**
 * Creates the topics that do not exist yet (the broker's default partitions). A consumer subscribing to a topic
 * nobody has produced to yet fails (UNKNOWN_TOPIC_OR_PARTITION) even with auto-creation on; an application
 * that owns its topics creates them first.
 */
export async function ensureTopics(kafka: Kafka, topics: string[]): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = topics.filter((t) => !existing.has(t));
    if (missing.length) await admin.createTopics({ topics: missing.map((topic) => ({ topic })), waitForLeaders: true });
  } finally {
    await admin.disconnect();
  }
}

/** Kafka headers as strings (the first value of a repeated header). */
export function headerStrings(headers: IHeaders | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (value === undefined) continue;
    out[name] = (Array.isArray(value) ? value[0] : value)?.toString() ?? '';
  }
  return out;
}
