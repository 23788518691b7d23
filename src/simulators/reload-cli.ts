// `npm run example:reload`: the application side of `credential-rotated` (rotation-listener.ts), runnable.
// It watches the topic on a Kafka broker and, for each event, re-reads the sink file the event names from the
// worker's sink folder and swaps the credential it holds. One line per event: the file and the fingerprint of
// what it read, never the value (or why the event was refused). The topic is read from its beginning, so the
// last announced credential is the one held; Ctrl-C (or SIGTERM) stops it.
import { Command } from 'commander';
import { CREDENTIAL_ROTATED_TOPIC, type Reload, startRotationListener } from './rotation-listener.js';

const opts = new Command()
  .name('example:reload')
  .description('Reload a rotated credential from the sink file each credential-rotated event names.')
  .requiredOption('--kafka <host:port>', 'the Kafka broker the rotations publish to')
  .requiredOption('--sink-dir <dir>', "the worker's secret sink folder (its ARAZZO_SECRET_SINK_DIR)")
  .option('--topic <name>', 'the topic to watch', CREDENTIAL_ROTATED_TOPIC)
  .parse()
  .opts<{ kafka: string; sinkDir: string; topic: string }>();

const describe = (reload: Reload): string => {
  const at = `${reload.partition}:${reload.offset}`;
  if (reload.refused !== undefined) return `refused event ${at}: ${reload.refused}`;
  const credential = (reload.event as { credential?: unknown }).credential;
  return `reloaded ${reload.file} (fp ${reload.fingerprint}) for ${String(credential)}, event ${at}`;
};

const listener = await startRotationListener({
  bootstrap: opts.kafka,
  sinkDir: opts.sinkDir,
  topic: opts.topic,
  onReload: (reload) => console.log(describe(reload)),
}).catch((err: Error) => {
  console.error(`no Kafka broker answers at ${opts.kafka} (${err.message}); start one with \`npm run kafka\``);
  process.exit(1);
});
console.log(`watching ${opts.topic} on ${opts.kafka}; sink folder ${opts.sinkDir}; Ctrl-C stops it`);

const shutdown = async () => {
  await listener.stop();
  process.exit(0);
};
process.once('SIGINT', shutdown);
process.once('SIGTERM', shutdown);
