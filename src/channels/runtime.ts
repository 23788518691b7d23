// A worker's channel runtime: its message bindings (Kafka today) and the listener that feeds its runs'
// waits. Built once per worker process; the listener needs a client (it signals runs and lists them).
import type { Client } from '@temporalio/client';
import type { ChannelRuntime } from '../activities/message-steps.js';
import { MessageBindings } from './binding.js';
import { KafkaBinding } from './kafka/kafka-binding.js';
import { ChannelListener } from './listener.js';

export interface ChannelRuntimeOptions {
  client: Client;
  /** How often the listener looks for waiting runs in visibility (default 2 s). */
  discoverEveryMs?: number;
  log?: (level: 'info' | 'warn' | 'error', message: string) => void;
}

export interface StartedChannelRuntime extends ChannelRuntime {
  listener: ChannelListener;
  stop(): Promise<void>;
}

export function startChannelRuntime(options: ChannelRuntimeOptions): StartedChannelRuntime {
  const bindings = new MessageBindings([new KafkaBinding({ log: options.log })]);
  const listener = new ChannelListener({
    client: options.client,
    bindings,
    discoverEveryMs: options.discoverEveryMs,
    log: options.log,
  });
  listener.start();
  return {
    bindings,
    listener,
    async stop() {
      await listener.stop();
      await bindings.close();
    },
  };
}
