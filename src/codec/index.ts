export { type CodecServer, type CodecServerOptions, startCodecServer } from './codec-server.js';
export {
  createDataConverter,
  encryptionEnabled,
  failureConverterPath,
  getDataConverter,
  getEncryptionCodec,
} from './data-converter.js';
export { ENCRYPTED_ENCODING, EncryptionCodec, UndecodablePayloadError } from './encryption-codec.js';
export {
  addKeyToFile,
  type CodecKey,
  ensureKeyRing,
  ensureKeySource,
  fileKeySource,
  type KeyRing,
  type KeySource,
  loadKeyRing,
  loadKeySource,
  newKey,
  parseKeyList,
  promoteKeyInFile,
  retireKeyFromFile,
} from './keys.js';
export { type CodecToken, ensureCodecToken } from './token.js';
export { isUndecodable, UNDECODABLE, type UndecodableMessage } from './undecodable.js';
