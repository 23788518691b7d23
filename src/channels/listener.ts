// The channel listener: one per worker process, it feeds runs that wait at a `receive` step. No run
// holds an activity (or a slot) while it waits: the run is a timer and an update handler in Temporal,
// and this listener reads each channel once for all the runs waiting on it.
//
// How it learns of waits: the `beginMessageWait` activity registers the wait it just began (fast path),
// and every `discoverEveryMs` it lists running workflows with `ArazzoWaitingOn` set and asks each for
// its waits (`messageWaits` query): after a crash, a restart or on another worker, every wait is found
// again with its recorded start. How it feeds them: per channel one watch from the earliest start of its
// waits; each message at or after a wait's start whose correlation id matches is proposed to the run
// (`deliverMessage` update). The run's validator decides (correlation, start, success criteria); the
// listener forgets a wait once the run accepted a message or says the wait has ended.
import type { Client } from '@temporalio/client';
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { correlationValueOf } from '../arazzo/messages/correlation.js';
import { ArazzoWaitingOn } from '../workflows/contract.js';
import {
  channelKey,
  type DeliveryRefusal,
  deliverMessageUpdate,
  type MessageWait,
  messageWaitsQuery,
} from '../workflows/message-contract.js';
import { type ChannelWatch, type MessageBindings, positionAtOrAfter, type ReceivedMessage } from './binding.js';

export interface ChannelListenerOptions {
  client: Client;
  bindings: MessageBindings;
  /** How often running waits are looked up in visibility (default 2 s). */
  discoverEveryMs?: number;
  /** How long a run that has not recorded its wait's start yet is asked again (default 15 s). */
  notReadyPatienceMs?: number;
  log?: (level: 'info' | 'warn', message: string) => void;
}

interface ChannelEntry {
  key: string;
  waits: Map<string, TrackedWait>;
  watch?: Promise<ChannelWatch>;
  /** Messages are proposed one at a time per channel, in the order they were read. */
  queue: Promise<void>;
}

interface TrackedWait {
  wait: MessageWait;
  registeredAt: number;
  /** When discovery last saw the run list this wait. */
  lastListed?: number;
}

/** How long a wait whose run visibility no longer lists is kept (see discoverOnce). */
const FORGET_UNLISTED_AFTER_MS = 60_000;

export class ChannelListener {
  private readonly channels = new Map<string, ChannelEntry>();
  private timer?: NodeJS.Timeout;
  private discovering?: Promise<void>;
  private stopped = false;
  /** Proposals made (accepted or not): what the bench and tests read. */
  readonly stats = { proposed: 0, accepted: 0, refused: 0 };

  constructor(private readonly options: ChannelListenerOptions) {}

  /** Begins the periodic discovery (the first one at once). */
  start(): void {
    if (this.timer) return;
    const every = this.options.discoverEveryMs ?? 2_000;
    void this.discover();
    this.timer = setInterval(() => void this.discover(), every);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.discovering?.catch(() => undefined);
    const watches = [...this.channels.values()].map((c) => c.watch);
    this.channels.clear();
    await Promise.allSettled(watches.map(async (w) => (await w)?.close()));
  }

  /** Open waits this listener feeds (for tests and the bench). */
  get waiting(): number {
    let n = 0;
    for (const channel of this.channels.values()) n += channel.waits.size;
    return n;
  }

  /** A wait to feed (from the activity that began it, or found by discovery). Idempotent. */
  async addWait(wait: MessageWait): Promise<void> {
    if (this.stopped) return;
    const key = channelKey(wait);
    let channel = this.channels.get(key);
    if (!channel) {
      channel = { key, waits: new Map(), queue: Promise.resolve() };
      this.channels.set(key, channel);
    }
    const id = waitKey(wait);
    if (channel.waits.has(id)) return;
    channel.waits.set(id, { wait, registeredAt: Date.now() });
    if (!channel.watch) {
      const entry = channel;
      const binding = this.options.bindings.get(wait.protocol);
      entry.watch = binding.watch(wait.host, wait.address, wait.start, (message) => this.onMessage(entry, message));
      entry.watch.catch((err) => {
        this.options.log?.('warn', `cannot watch ${key}: ${err instanceof Error ? err.message : err}`);
        if (this.channels.get(key) === entry) entry.watch = undefined;
      });
      await entry.watch.catch(() => undefined);
    } else {
      (await channel.watch.catch(() => undefined))?.rewind(wait.start);
    }
  }

  private onMessage(channel: ChannelEntry, message: ReceivedMessage): Promise<void> {
    // Chained, so a slow run answering does not reorder proposals; the watch waits for each message.
    channel.queue = channel.queue.then(() => this.propose(channel, message));
    return channel.queue;
  }

  private async propose(channel: ChannelEntry, message: ReceivedMessage): Promise<void> {
    // The message's value at each correlation location, read once however many waits use that location.
    const values = new Map<string, string | undefined>();
    const valueAt = (location: string) => {
      if (!values.has(location)) values.set(location, correlationValueOf(location, message));
      return values.get(location);
    };
    for (const [id, tracked] of [...channel.waits]) {
      const { wait } = tracked;
      if (!positionAtOrAfter(message.offset, wait.start[String(message.partition)])) continue;
      if (wait.correlation && valueAt(wait.correlation.location) !== wait.correlation.value) continue;
      const outcome = await this.deliver(wait, message);
      if (outcome === 'accepted' || outcome === 'ended') this.forget(channel, id);
    }
  }

  /** Proposes `message` to the run; `not-ready` is asked again until the run has recorded its start. */
  private async deliver(wait: MessageWait, message: ReceivedMessage): Promise<'accepted' | DeliveryRefusal> {
    const patience = this.options.notReadyPatienceMs ?? 15_000;
    const until = Date.now() + patience;
    for (let delay = 50; ; delay = Math.min(delay * 2, 1_000)) {
      this.stats.proposed += 1;
      const outcome = await this.deliverOnce(wait, message);
      if (outcome !== 'not-ready' || Date.now() > until || this.stopped) {
        if (outcome === 'accepted') this.stats.accepted += 1;
        else this.stats.refused += 1;
        return outcome;
      }
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }

  private async deliverOnce(wait: MessageWait, message: ReceivedMessage): Promise<'accepted' | DeliveryRefusal> {
    const handle = this.options.client.workflow.getHandle(wait.workflowId, wait.runId);
    try {
      return await handle.executeUpdate(deliverMessageUpdate, { args: [{ waitId: wait.waitId, message }] });
    } catch (err) {
      if (err instanceof WorkflowUpdateFailedError) {
        const text = err.cause instanceof Error ? err.cause.message : String(err.cause);
        const word = text.split(':')[0] as DeliveryRefusal;
        if (word === 'not-ready' || word === 'no-match' || word === 'ended') return word;
        this.options.log?.('warn', `run ${wait.workflowId} refused a message: ${text}`);
        return 'no-match';
      }
      if (err instanceof WorkflowNotFoundError || isClosedRun(err)) return 'ended';
      this.options.log?.('warn', `cannot reach run ${wait.workflowId}: ${err instanceof Error ? err.message : err}`);
      // Unknown: keep the wait; discovery re-reads the channel from its start if the run still waits.
      return 'no-match';
    }
  }

  private forget(channel: ChannelEntry, id: string) {
    channel.waits.delete(id);
    if (channel.waits.size > 0) return;
    this.channels.delete(channel.key);
    void channel.watch?.then((w) => w.close()).catch(() => undefined);
  }

  /** Finds every running wait (after a restart, or begun on another worker) and forgets waits that ended. */
  discover(): Promise<void> {
    if (this.discovering || this.stopped) return this.discovering ?? Promise.resolve();
    this.discovering = this.discoverOnce()
      .catch((err) => this.warnOnce(discoveryProblem(err)))
      .finally(() => {
        this.discovering = undefined;
      });
    return this.discovering;
  }

  private lastWarning?: string;

  /** The same problem every 2 s is said once (again only after it changed or went away). */
  private warnOnce(message: string) {
    if (message === this.lastWarning) return;
    this.lastWarning = message;
    this.options.log?.('warn', message);
  }

  private async discoverOnce(): Promise<void> {
    const { client } = this.options;
    const listed = new Set<string>();
    const listedRuns = new Set<string>();
    // A run is asked for its waits only when it lists one this listener does not feed yet (a query can replay
    // a whole run); the run's search attribute names each wait as `<channel>#<waitId>`.
    const known = new Set<string>();
    for (const channel of this.channels.values()) {
      for (const id of channel.waits.keys()) known.add(id);
    }
    const query = `${ArazzoWaitingOn.name} IS NOT NULL AND ExecutionStatus = 'Running'`;
    for await (const run of client.workflow.list({ query })) {
      if (this.stopped) return;
      // `<protocol>://<host>/<address>#<stepId>#<n>`: the wait id is everything after the channel's first `#`.
      const waitIds = (run.typedSearchAttributes.get(ArazzoWaitingOn) ?? []).flatMap((entry) => {
        const hash = entry.indexOf('#');
        return hash < 0 ? [] : [`${runKey(run)}/${entry.slice(hash + 1)}`];
      });
      for (const id of waitIds) listed.add(id);
      if (waitIds.length > 0) listedRuns.add(runKey(run));
      if (waitIds.length > 0 && waitIds.every((id) => known.has(id))) continue;
      let waits: MessageWait[];
      try {
        waits = await client.workflow.getHandle(run.workflowId, run.runId).query(messageWaitsQuery);
      } catch {
        continue; // closed meanwhile, or no worker answers queries yet: the next pass asks again
      }
      for (const wait of waits) await this.addWait(wait);
    }
    // A wait is forgotten when its run lists another wait (it moved on), or when its run has not been listed
    // for a minute (it closed: timed out, cancelled). Not sooner: under load visibility lags a run's upsert by
    // many seconds, and a wait forgotten too early is found again only by querying its run.
    this.lastWarning = undefined;
    for (const channel of [...this.channels.values()]) {
      for (const [id, tracked] of [...channel.waits]) {
        if (listed.has(id)) {
          tracked.lastListed = Date.now();
          continue;
        }
        const movedOn = listedRuns.has(runKey(tracked.wait));
        const unseenFor = Date.now() - (tracked.lastListed ?? tracked.registeredAt);
        if (movedOn || unseenFor > FORGET_UNLISTED_AFTER_MS) this.forget(channel, id);
      }
    }
  }
}

function runKey(run: { workflowId: string; runId: string }): string {
  return `${run.workflowId}/${run.runId}`;
}

function waitKey(wait: MessageWait): string {
  return `${runKey(wait)}/${wait.waitId}`;
}

function discoveryProblem(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  if (text.includes(ArazzoWaitingOn.name)) {
    return `channel listener: this namespace has no ${ArazzoWaitingOn.name} search attribute, so waits begun before a restart or on another worker are not found (waits this worker begins are fed). Register it: temporal operator search-attribute create --name ${ArazzoWaitingOn.name} --type KeywordList`;
  }
  return `channel listener: cannot look for waiting runs: ${text}`;
}

function isClosedRun(err: unknown): boolean {
  const text = err instanceof Error ? err.message : String(err);
  return /already completed|workflow execution already|not found/i.test(text);
}
