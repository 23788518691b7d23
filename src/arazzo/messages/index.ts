// Arazzo 1.1 message steps, the pure part: building a send step's message, reading a correlation value,
// the protocols the bindings carry. The runtime (channels, activities, workflow) uses these.
export { type BuiltMessage, buildMessage } from './build-message.js';
export { correlationValueOf, isCorrelationLocation, type MessageParts } from './correlation.js';
export { SUPPORTED_CHANNEL_PROTOCOLS } from './protocols.js';
