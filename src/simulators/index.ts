// Public surface of the simulators, for tests (unit and end-to-end) and the `npm run simulate` CLI.
export type {
  AuditEntry,
  AuditLog,
  AuditRequest,
  AuditResponse,
  CredentialKind,
  CredentialRef,
  StateEvent,
} from './audit-log.js';
export { type ContractFinding, ContractRecorder } from './contract-recorder.js';
export {
  type DeepgramKeyView,
  type DeepgramSeed,
  type DeepgramSeedOptions,
  type DeepgramSimulator,
  type DeepgramSimulatorOptions,
  startDeepgramSimulator,
} from './deepgram.js';
export type { FaultHandle, FaultInjector, FaultOptions, FaultPhase, FaultTimes, Hold, HeldRequest } from './faults.js';
export type { Exchange, ExchangeHook } from './http-server.js';
export { MASK, SecretRedactor } from './masking.js';
export {
  type CheckedExchange,
  type CheckResult,
  type ContractConfig,
  loadContract,
  OfficialContract,
} from './official-contract.js';
export { OFFICIAL_DEEPGRAM, OFFICIAL_PRISMA } from './official-documents.js';
export {
  type DatabaseStatus,
  PRISMA_VALIDATION_STATUS,
  type PrismaConnectionView,
  type PrismaDatabaseView,
  type PrismaSeed,
  type PrismaSeedOptions,
  type PrismaSimulator,
  type PrismaSimulatorOptions,
  startPrismaSimulator,
} from './prisma.js';
export { headerStrings } from './kafka-headers.js';
export {
  CONFIRM_ORDER_TOPIC,
  MESSAGE_ID_HEADER,
  ORDER_REQUEST_ID_HEADER,
  type OrderReply,
  type OrderRequest,
  type OrderResponder,
  type OrderResponderOptions,
  PLACE_ORDER_TOPIC,
  type RejectedRequest,
  startOrderResponder,
} from './order-responder.js';
export {
  PET_STATUSES,
  PETSTORE_BASE_PATH,
  PETSTORE_EXAMPLE_CONTRACT,
  type Pet,
  type PetStatus,
  type PetstoreSeed,
  type PetstoreSimulator,
  type PetstoreSimulatorOptions,
  startPetstoreSimulator,
} from './petstore.js';
export {
  CREDENTIAL_ROTATED_TOPIC,
  type Reload,
  type RotationListener,
  type RotationListenerOptions,
  startRotationListener,
} from './rotation-listener.js';
export type { Simulator, SimulatorOptions } from './simulator-base.js';
