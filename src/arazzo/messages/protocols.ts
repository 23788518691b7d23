// The AsyncAPI server protocols a channel binding of this engine carries. Pre-flight refuses a channel
// step on any other (preflight/rules/channel-protocol.ts); a new binding (MQTT, AMQP, ...) adds its
// protocol here when the runtime can carry it.
export const SUPPORTED_CHANNEL_PROTOCOLS: readonly string[] = ['kafka'];

/**
 * What a `send` step outputs without declaring it: where the broker put the message (Kafka: partition and
 * offset). No runtime expression reaches them otherwise; a step's own output of the same name wins.
 */
export const SEND_STEP_OUTPUTS: readonly string[] = ['partition', 'offset'];
