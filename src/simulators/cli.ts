// `npm run simulate`: the simulators on fixed loopback ports (Prisma 4010, Deepgram 4020, pet store 4030; env
// PRISMA_SIM_PORT / DEEPGRAM_SIM_PORT / PETSTORE_SIM_PORT or flags), each seeded with one database/project and
// one credential (the pet store: one user and three pets).
// Seeded secrets are printed masked unless --print-credentials is given (local development only).
// With --kafka <bootstrap> (e.g. the broker of `npm run kafka`) it also runs the Kafka counterparts of message
// steps: the pet example's order responder (place-order -> confirm-order) and, with --sink-dir, the application
// that reloads its credential on each credential-rotated event; one line per message, fingerprints only.
import { resolve } from 'node:path';
import { Command } from 'commander';
import { startDeepgramSimulator } from './deepgram.js';
import { type OrderResponder, startOrderResponder } from './order-responder.js';
import { startPetstoreSimulator } from './petstore.js';
import { startPrismaSimulator } from './prisma.js';
import { type RotationListener, startRotationListener } from './rotation-listener.js';

const program = new Command()
  .name('simulate')
  .description('Run the Prisma and Deepgram management API simulators and the pet store on loopback.')
  .option('--prisma-port <port>', 'Prisma simulator port', process.env.PRISMA_SIM_PORT ?? '4010')
  .option('--deepgram-port <port>', 'Deepgram simulator port', process.env.DEEPGRAM_SIM_PORT ?? '4020')
  .option('--petstore-port <port>', 'pet store simulator port', process.env.PETSTORE_SIM_PORT ?? '4030')
  .option('--host <host>', 'interface to listen on', '127.0.0.1')
  .option('--random-seed <seed>', 'fixed seed for ids and secrets (reproducible runs)')
  .option('--print-credentials', 'print the seeded secrets in clear (local development only)', false)
  .option('--quiet', 'do not log one line per request', false)
  .option('--kafka <bootstrap>', 'also run the order responder (and the rotation listener) against this Kafka broker')
  .option('--sink-dir <dir>', 'with --kafka: the sink folder the rotation listener reloads credentials from')
  .parse();

const opts = program.opts<{
  prismaPort: string;
  deepgramPort: string;
  petstorePort: string;
  host: string;
  randomSeed?: string;
  printCredentials: boolean;
  quiet: boolean;
  kafka?: string;
  sinkDir?: string;
}>();

const port = (value: string, name: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`${name}: not a port: ${value}`);
  return n;
};
const secret = (value: string) => (opts.printCredentials ? value : '<masked; --print-credentials to show>');
// One line per request: method, path, status. Paths and statuses carry no secrets; bodies are never logged.
const log =
  (name: string) =>
  (ex: { method: string; path: string; status: number; injected: boolean }): void => {
    if (!opts.quiet)
      console.log(`[${name}] ${ex.method} ${ex.path} -> ${ex.status}${ex.injected ? ' (injected)' : ''}`);
  };

const prisma = await startPrismaSimulator({
  port: port(opts.prismaPort, 'prisma port'),
  host: opts.host,
  randomSeed: opts.randomSeed,
  onExchange: log('prisma'),
});
const deepgram = await startDeepgramSimulator({
  port: port(opts.deepgramPort, 'deepgram port'),
  host: opts.host,
  randomSeed: opts.randomSeed === undefined ? undefined : `${opts.randomSeed}/deepgram`,
  onExchange: log('deepgram'),
});
const petstore = await startPetstoreSimulator({
  port: port(opts.petstorePort, 'pet store port'),
  host: opts.host,
  randomSeed: opts.randomSeed === undefined ? undefined : `${opts.randomSeed}/petstore`,
  onExchange: log('petstore'),
});
const p = prisma.seed();
const d = deepgram.seed({ scopes: ['admin'] });
const s = petstore.seed({ username: 'user1' });
let responder: OrderResponder | undefined;
let listener: RotationListener | undefined;
if (opts.kafka) {
  // The group ids are fixed so a restarted CLI continues where the last one stopped instead of answering
  // every old order again.
  responder = await startOrderResponder({
    bootstrap: opts.kafka,
    groupId: 'simulate-order-responder',
    onReply: (r) =>
      console.log(`[order-responder] orderRequestId ${r.orderRequestId} (pet ${r.petId}) -> orderId ${r.orderId}`),
  });
  if (opts.sinkDir) {
    listener = await startRotationListener({
      bootstrap: opts.kafka,
      sinkDir: resolve(opts.sinkDir),
      groupId: 'simulate-rotation-listener',
      onReload: (r) =>
        console.log(
          r.refused
            ? `[rotation-listener] event at offset ${r.offset} refused: ${r.refused}`
            : `[rotation-listener] reloaded ${r.file} (fingerprint ${r.fingerprint})`,
        ),
    });
  }
}

console.log(`Prisma Management API simulator   ${prisma.baseUrl}
  service token (Bearer)  ${secret(p.serviceToken)}
  databaseId              ${p.databaseId}
  connectionId            ${p.connectionId}
  connectionString        ${secret(p.connectionString)}
Deepgram Management API simulator  ${deepgram.baseUrl}
  projectId               ${d.projectId}
  keyId                   ${d.keyId}
  key (Token)             ${secret(d.key)}
Pet store simulator                ${petstore.baseUrl}
  username                ${s.username}
  password                ${secret(s.password)}
  pets                    ${s.pets.map((pet) => `${pet.id} ${pet.name} (${pet.status})`).join(', ')}${
    opts.kafka
      ? `
Kafka counterparts                 ${opts.kafka}
  order responder         place-order -> confirm-order${
    listener
      ? `
  rotation listener       credential-rotated -> reloads from ${resolve(opts.sinkDir ?? '')}`
      : ''
  }`
      : ''
  }
ready`);

const shutdown = async () => {
  await Promise.all([prisma.close(), deepgram.close(), petstore.close(), responder?.stop(), listener?.stop()]);
  process.exit(0);
};
process.once('SIGINT', shutdown);
process.once('SIGTERM', shutdown);
