export { type CodecServer, type CodecServerOptions, startCodecServer } from './codec-server.js';
export {
  createDataConverter,
  encryptionEnabled,
  failureConverterPath,
  getDataConverter,
  getEncryptionCodec,
} from './data-converter.js';
export { ENCRYPTED_ENCODING, EncryptionCodec } from './encryption-codec.js';
export { addKeyToFile, type CodecKey, ensureKeyRing, type KeyRing, loadKeyRing, newKey, parseKeyList } from './keys.js';
