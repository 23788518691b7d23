// `npm run simulate`: the simulators on fixed loopback ports (Prisma 4010, Deepgram 4020, pet store 4030; env
// PRISMA_SIM_PORT / DEEPGRAM_SIM_PORT / PETSTORE_SIM_PORT or flags), each seeded with one database/project and
// one credential (the pet store: one user and three pets).
// Seeded secrets are printed masked unless --print-credentials is given (local development only).
// With --kafka <host:port>, the pet store's order application too (order-responder.ts): it takes `placeOrder`
// requests on `place-order` and answers on `confirm-order`, so the Arazzo 1.1 pet-purchase example runs.
import { Command } from 'commander';
import { startDeepgramSimulator } from './deepgram.js';
import { CONFIRM_ORDER_TOPIC, PLACE_ORDER_TOPIC, startOrderResponder } from './order-responder.js';
import { startPetstoreSimulator } from './petstore.js';
import { startPrismaSimulator } from './prisma.js';

const program = new Command()
  .name('simulate')
  .description('Run the Prisma and Deepgram management API simulators and the pet store on loopback.')
  .option('--prisma-port <port>', 'Prisma simulator port', process.env.PRISMA_SIM_PORT ?? '4010')
  .option('--deepgram-port <port>', 'Deepgram simulator port', process.env.DEEPGRAM_SIM_PORT ?? '4020')
  .option('--petstore-port <port>', 'pet store simulator port', process.env.PETSTORE_SIM_PORT ?? '4030')
  .option('--host <host>', 'interface to listen on', '127.0.0.1')
  .option('--random-seed <seed>', 'fixed seed for ids and secrets (reproducible runs)')
  .option('--print-credentials', 'print the seeded secrets in clear (local development only)', false)
  .option('--kafka <host:port>', "also run the pet store's order application against this Kafka broker")
  .option('--quiet', 'do not log one line per request', false)
  .parse();

const opts = program.opts<{
  prismaPort: string;
  deepgramPort: string;
  petstorePort: string;
  host: string;
  randomSeed?: string;
  printCredentials: boolean;
  kafka?: string;
  quiet: boolean;
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
// Order ids and correlation ids are not secrets; the order's payload is only a pet id.
const orders =
  opts.kafka === undefined
    ? undefined
    : await startOrderResponder({
        bootstrap: opts.kafka,
        onReply: (r) => {
          if (!opts.quiet)
            console.log(
              `[orders] ${r.orderRequestId}: pet ${r.petId} -> orderId ${r.orderId} on ${CONFIRM_ORDER_TOPIC}`,
            );
        },
      }).catch(async (err: Error) => {
        console.error(`no Kafka broker answers at ${opts.kafka} (${err.message}); start one with \`npm run kafka\``);
        await Promise.all([prisma.close(), deepgram.close(), petstore.close()]);
        process.exit(1);
      });
const p = prisma.seed();
const d = deepgram.seed({ scopes: ['admin'] });
const s = petstore.seed({ username: 'user1' });
const ordersLines = orders
  ? `Pet store orders (Kafka)           ${opts.kafka}
  takes                   ${PLACE_ORDER_TOPIC} (header orderRequestId, payload {petId})
  answers                 ${CONFIRM_ORDER_TOPIC} (same orderRequestId, payload {orderId})
`
  : '';

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
  pets                    ${s.pets.map((pet) => `${pet.id} ${pet.name} (${pet.status})`).join(', ')}
${ordersLines}ready`);

const shutdown = async () => {
  await Promise.all([prisma.close(), deepgram.close(), petstore.close(), orders?.stop()]);
  process.exit(0);
};
process.once('SIGINT', shutdown);
process.once('SIGTERM', shutdown);
