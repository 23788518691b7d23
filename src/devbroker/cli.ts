// `npm run kafka`: a single-node Apache Kafka broker (KRaft) in the foreground, for running message-step
// workflows by hand. Its data folder persists, so topics and messages survive a restart of this command.
// Ctrl-C (or SIGTERM) stops it cleanly, during start-up too.
//
// Environment: ARAZZO_KAFKA_PORT (9092), ARAZZO_KAFKA_CONTROLLER_PORT (9093), ARAZZO_KAFKA_DATA (.kafka/),
// ARAZZO_KAFKA_PARTITIONS (1, for auto-created topics).
import { resolve } from 'node:path';
import { type KafkaBroker, startKafkaBroker } from './kafka-broker.js';

const env = process.env;
const interrupt = new AbortController();
let stopRunning: (() => Promise<void>) | undefined;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (interrupt.signal.aborted) return;
    interrupt.abort(new Error(`interrupted by ${signal}`));
    void stopRunning?.();
  });
}

let broker: KafkaBroker;
try {
  broker = await startKafkaBroker({
    port: Number(env.ARAZZO_KAFKA_PORT ?? 9092),
    controllerPort: Number(env.ARAZZO_KAFKA_CONTROLLER_PORT ?? 9093),
    dataDir: resolve(env.ARAZZO_KAFKA_DATA ?? '.kafka'),
    numPartitions: Number(env.ARAZZO_KAFKA_PARTITIONS ?? 1),
    signal: interrupt.signal,
  });
} catch (err) {
  if (interrupt.signal.aborted) {
    console.log('Kafka broker start-up interrupted; stopped.');
    process.exit(0);
  }
  throw err;
}
console.log(`Kafka broker ready: bootstrap ${broker.bootstrap} (started in ${(broker.startupMs / 1000).toFixed(1)} s)`);
console.log(`Data and log: ${broker.dataDir} (broker.log). Ctrl-C stops the broker.`);

let stopping = false;
stopRunning = async () => {
  if (stopping) return;
  stopping = true;
  await broker.stop();
  console.log('Kafka broker stopped.');
  process.exit(0);
};
if (interrupt.signal.aborted) await stopRunning();
broker.process?.once('exit', (code) => {
  if (!stopping) {
    console.error(`Kafka broker exited unexpectedly (code ${code}); see ${broker.logFile}.`);
    process.exit(1);
  }
});
