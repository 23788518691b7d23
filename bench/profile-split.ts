// Splits a worker child's `--cpu-prof` profiles into what the time paid for: the table "The CPU gap by what
// it pays for" in bench/README.md. Usage (after `npm run bench -- --only=handwritten --cpu-prof`):
//
//   npx tsx bench/profile-split.ts <main-thread.cpuprofile> <workflow-thread.cpuprofile> <workflow-bundle.js>
//
// A worker child writes one profile per thread: `CPU.<date>.<time>.<pid>.0.001.cpuprofile` is its main thread,
// the largest of the others its workflow thread; the bundles are in bench/results/work/. Each sample goes to
// one bucket: on the workflow thread the SDK's promise hook when its `init` is on the stack, else the module
// of the nearest bundle frame (the bundle's `/*** "./path" ***/` markers); on the main thread the nearest
// frame of our own source, by what that file serves. Written here because the profile's call tree needs
// mapping to bundle modules and to our files, which no profile viewer does.
import { readFileSync } from 'node:fs';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface Profile {
  nodes: Array<{ id: number; callFrame: CallFrame; children?: number[] }>;
  samples: number[];
  timeDeltas: number[];
}

/** Each sample's stack, leaf first, with its time in microseconds. */
function stacks(file: string): Array<{ frames: CallFrame[]; micros: number }> {
  const p = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  return p.samples.map((id, i) => {
    const frames: CallFrame[] = [];
    for (let x: number | undefined = id; x !== undefined; x = parent.get(x)) frames.push(byId.get(x)!.callFrame);
    return { frames, micros: p.timeDeltas[i] ?? 0 };
  });
}

/** The bundle line → module path map, from webpack's module markers. */
function moduleOf(bundleFile: string): (line: number) => string {
  const starts: Array<[number, string]> = [];
  readFileSync(bundleFile, 'utf8')
    .split('\n')
    .forEach((l, i) => {
      const m = /^\/\*\*\*\/ "(.*)"/.exec(l);
      if (m) starts.push([i, m[1]]);
    });
  return (line) => {
    let lo = 0;
    let hi = starts.length - 1;
    let found = '(bundle head)';
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (starts[mid][0] <= line) {
        found = starts[mid][1];
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  };
}

function workflowThread(file: string, bundle: string): Map<string, number> {
  const mod = moduleOf(bundle);
  const buckets = new Map<string, number>();
  for (const { frames, micros } of stacks(file)) {
    const leaf = frames[0];
    if (leaf.functionName === '(idle)') continue;
    let bucket: string;
    if (leaf.functionName === '(garbage collector)') bucket = 'garbage collection';
    else if (frames.some((f) => f.functionName === 'init' && /vm-shared/.test(f.url)))
      bucket = "SDK: the promise hook's stack capture";
    else if (!leaf.url && frames.find((f) => f.url)?.url === 'node:vm')
      bucket = 'SDK: entering the VM context and running its microtasks (native)';
    else {
      const inBundle = frames.find((f) => /workflow-bundle/.test(f.url));
      if (!inBundle) bucket = 'SDK: worker thread, messaging, other';
      else
        bucket = /^\.\/(src|bench)\//.test(mod(inBundle.lineNumber))
          ? 'our workflow code'
          : 'SDK: the workflow library (JS)';
    }
    buckets.set(bucket, (buckets.get(bucket) ?? 0) + micros);
  }
  return buckets;
}

/** Our main-thread files by what they serve (first match wins). */
const SERVES: Array<[RegExp, string]> = [
  [/seal\.ts|plan-store|load-plan/, 'ours: the plan (loaded once, seals checked per step)'],
  [/secrets\/|scrub/, 'ours: secrets (references resolved, values scrubbed)'],
  [/lock-held/, "ours: the lock's confirmation"],
  [/document-read|document-cache/, "ours: the document's freshness"],
  [/run-history/, "ours: the run's history read"],
  [/arazzo\/|run-step|step-/, 'ours: the step (expressions, criteria, request, outputs)'],
];

function mainThread(file: string): Map<string, number> {
  const buckets = new Map<string, number>();
  for (const { frames, micros } of stacks(file)) {
    const leaf = frames[0];
    if (leaf.functionName === '(idle)') continue;
    const urls = frames.map((f) => f.url);
    let bucket: string;
    if (leaf.functionName === '(garbage collector)') bucket = 'garbage collection';
    else if (urls.some((u) => /undici|src\/activities\/http\.ts|bench\/handwritten\/activities/.test(u)))
      bucket = 'HTTP (undici and the call around it)';
    else {
      const ours = frames.find((f) => /\/src\//.test(f.url) && !/node_modules/.test(f.url));
      if (ours) bucket = SERVES.find(([r]) => r.test(ours.url))?.[1] ?? 'ours: other';
      else if (urls.some((u) => /@temporalio|core-bridge/.test(u))) bucket = 'SDK: worker, core bridge, converters';
      else bucket = 'other (node internals, timers, sockets)';
    }
    buckets.set(bucket, (buckets.get(bucket) ?? 0) + micros);
  }
  return buckets;
}

function print(title: string, buckets: Map<string, number>) {
  const total = [...buckets.values()].reduce((a, b) => a + b, 0);
  console.log(`${title}: ${(total / 1e6).toFixed(2)} s busy`);
  for (const [bucket, micros] of [...buckets].sort((a, b) => b[1] - a[1])) {
    console.log(`  ${(micros / 1e6).toFixed(2).padStart(6)} s  ${bucket}`);
  }
}

const [mainProfile, workflowProfile, bundle] = process.argv.slice(2);
if (!mainProfile || !workflowProfile || !bundle) {
  console.error('usage: tsx bench/profile-split.ts <main-thread.cpuprofile> <workflow-thread.cpuprofile> <bundle.js>');
  process.exit(2);
}
print('workflow thread', workflowThread(workflowProfile, bundle));
print('main thread', mainThread(mainProfile));
