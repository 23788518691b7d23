// Loaded by path (DataConverter.failureConverterPath) in the worker, the client and the workflow
// bundle. CommonJS on purpose: the SDK `require()`s it, under tsx, vitest and compiled output alike.
// With encodeCommonAttributes, a failure's message and stack trace move into an encoded payload
// (encrypted by the codec); history shows only "Encoded failure".
const { DefaultFailureConverter } = require('@temporalio/common');

exports.failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
