// Where the simulators' ids and secrets come from. Random (node:crypto) by default; a fixed seed makes a
// run reproducible, so a test or a demo can print/compare ids without reading them back from a server.
import { createHmac, randomBytes } from 'node:crypto';

export interface RandomSource {
  bytes(length: number): Buffer;
  /** Lowercase [0-9a-z]; ids only (slight modulo bias, irrelevant for identifiers). */
  base36(length: number): string;
  hex(length: number): string;
  base64url(byteLength: number): string;
  uuid(): string;
}

const BASE36 = '0123456789abcdefghijklmnopqrstuvwxyz';

export function createRandomSource(seed?: string): RandomSource {
  let counter = 0;
  // Seeded: an HMAC-SHA256 stream keyed by the seed. Not for production secrets, only for reproducible tests.
  const bytes =
    seed === undefined
      ? (length: number) => randomBytes(length)
      : (length: number) => {
          const chunks: Buffer[] = [];
          let total = 0;
          while (total < length) {
            const chunk = createHmac('sha256', seed).update(String(counter++)).digest();
            chunks.push(chunk);
            total += chunk.length;
          }
          return Buffer.concat(chunks).subarray(0, length);
        };
  return {
    bytes,
    base36(length) {
      let out = '';
      for (const b of bytes(length)) out += BASE36[b % 36];
      return out;
    },
    hex(length) {
      return bytes(Math.ceil(length / 2))
        .toString('hex')
        .slice(0, length);
    },
    base64url(byteLength) {
      return bytes(byteLength).toString('base64url');
    },
    uuid() {
      const b = bytes(16);
      b[6] = (b[6] & 0x0f) | 0x40; // version 4
      b[8] = (b[8] & 0x3f) | 0x80; // RFC 4122 variant
      const h = b.toString('hex');
      return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
    },
  };
}
