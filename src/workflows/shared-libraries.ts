// The third-party libraries of the workflow bundle, evaluated once per worker instead of once per run.
//
// The SDK's reusable V8 context gives every workflow execution its own copy of each module it imports,
// evaluated when the execution is created (after a cache eviction too, and for every lock child). For
// these libraries that was most of a run's workflow CPU and memory: the bench's profile of 500 rotations
// showed the workflow thread spending more time evaluating XPath engines, XML parsers, regex tables and
// the ed25519 field constants than running the interpreter, and each cached run held its own copies.
//
// Listed in the bundler's `preloadModules` (src/worker.ts), this module is evaluated before any
// workflow exists; what it imports lands in the SDK's shared module cache, deep-frozen, and every
// execution uses that one copy. That is safe for these modules only because they are pure: they keep
// no state across calls that a run could see (parsers, evaluators, constants). Our own pure modules
// are shared the same way (shared-core.ts); those under src/workflows hold per-run state and are not.
//
// The bindings are exported (not bare `import 'x'`): several of these packages declare
// `sideEffects: false`, and the bundler would drop an import whose binding is unused.
import * as xmldom from '@xmldom/xmldom';
import { ed25519 } from '@noble/curves/ed25519.js';
import { sha256 } from '@noble/hashes/sha2.js';
import * as nobleUtils from '@noble/hashes/utils.js';
import fontoxpath from 'fontoxpath';
import { JSONPath } from 'jsonpath-plus';
import parseRfcJsonPath from 'jsonpath-rfc9535/parser';
import { RE2JS } from 're2js';
import * as xpath from 'xpath';

export const sharedLibraries = [
  xmldom,
  ed25519,
  sha256,
  nobleUtils,
  fontoxpath,
  JSONPath,
  parseRfcJsonPath,
  RE2JS,
  xpath,
];
