// How the real-world corpus (test/real-world/) was gathered, and how to gather it again.
//
// The documents are API Evangelist's public Arazzo documents (repositories `api-evangelist/<provider>`,
// documents under `arazzo/`, OpenAPI descriptions under `openapi/`), read from local git mirrors of those
// repositories at the commits named below. Each document's source descriptions are placed where the
// document points (`../openapi/x.yml`); most repositories keep that file under `openapi/_original/`,
// which is where it is taken from then (recorded as `from`). Nothing is fetched from the network here.
//
// The files are not committed (the repositories state no licence; see test/fixtures/real-world/README.md):
// this script writes them to test/fixtures/real-world/corpus/ (git-ignored) and checks each file against
// the SHA-256 recorded in test/fixtures/real-world/manifest.json, so the corpus tested is the one whose
// findings were reviewed.
//
//   npx tsx scripts/gather-real-world-corpus.ts --mirrors <dir>            write the corpus, verify hashes
//   npx tsx scripts/gather-real-world-corpus.ts --mirrors <dir> --record   (re)write the manifest
//
// <dir> holds one bare mirror per repository as `<owner>+<name>/repo` (or `<owner>+<name>.git`).
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

const ROOT = fileURLToPath(new URL('../test/fixtures/real-world/', import.meta.url));
const MANIFEST = join(ROOT, 'manifest.json');
const CORPUS = join(ROOT, 'corpus');

/** The selection: per provider, the repository's commit and the documents taken (two or three each). */
const SELECTION: Record<string, { commit: string; documents: string[] }> = {
  'amazon-s3': {
    commit: '1c11801282b8bc6345da6f643492233e3f10405f',
    documents: ['amazon-s3-multipart-upload-workflow.yml', 'amazon-s3-paginate-list-objects-workflow.yml'],
  },
  backblaze: {
    commit: '2827f423a4c85c232c66dbbce9928a3049de7be1',
    documents: ['backblaze-rotate-application-key-workflow.yml', 'backblaze-upload-file-workflow.yml'],
  },
  'buildkite-com': {
    commit: 'ee0c3c8081ced89abf474b8785601e6b29ce4ce3',
    documents: ['buildkite-com-trigger-and-poll-build-workflow.yml', 'buildkite-com-retry-failed-job-workflow.yml'],
  },
  cerner: {
    commit: '5ebcabe33b7db4f659fb18ef77ab9394a6b321d7',
    documents: ['cerner-conformance-discovery-workflow.yml', 'cerner-clinical-resource-write-workflow.yml'],
  },
  cloudflare: {
    commit: '02e5d0d9ad5d175e1b5b18c9ed562105d2360137',
    documents: [
      'cloudflare-create-dns-record-and-verify-workflow.yml',
      'cloudflare-rotate-dns-record-workflow.yml',
      'cloudflare-purge-cache-workflow.yml',
    ],
  },
  datadog: {
    commit: 'b6f3a6749b3ccf2a772dd716bdc3f8bd9433adeb',
    documents: [
      'datadog-manage-api-keys-workflow.yml',
      'datadog-create-service-account-key-workflow.yml',
      'datadog-invite-user-workflow.yml',
    ],
  },
  datastax: { commit: '44db3cb4fcf789a7dd507b9d3eb44af01b168877', documents: ['datastax-provision-database.yml'] },
  finix: {
    commit: 'cea9bc35c5fcc5a30ac3ba7b01fea637ba70f39b',
    documents: ['finix-tokenize-and-charge-workflow.yml', 'finix-refund-transfer-workflow.yml'],
  },
  gameye: {
    commit: 'db76cee14bddf7e5208f9b44b52a3c3f5699a574',
    documents: ['gameye-allocate-session.yml', 'gameye-session-teardown.yml'],
  },
  hedra: { commit: '64d46d64f2a8b5c32e999f4613ef1b5f3c337bac', documents: ['hedra-generate-image.yml'] },
  indykite: {
    commit: '27220fd5ea7f5639fef232a3ef7c680e05ebaa90',
    documents: ['indykite-capture-and-authorize.yml', 'indykite-provision-project-appagent.yml'],
  },
  ipinfo: {
    commit: 'eb6f08c9d4829c1f96d0c88b9c00d6d3c775862d',
    documents: ['ipinfo-batch-then-detail-workflow.yml', 'ipinfo-threat-screening-workflow.yml'],
  },
  kernel: { commit: '3b9f1c5bcd95b4e3bbbd7dce9eb40ab483fc38f7', documents: ['kernel-browser-automate.yml'] },
  okta: {
    commit: '433b7cedd57b4b9ce5737a3a187d38c87b10bda3',
    documents: [
      'okta-create-and-refresh-session-workflow.yml',
      'okta-deactivate-and-delete-user-workflow.yml',
      'okta-create-user-with-group-membership-workflow.yml',
    ],
  },
  'socket-dev': {
    commit: '783c3d69b4c84ed470b20ac9b1908d4d2083dc65',
    documents: ['socket-dev-create-and-report-full-scan-workflow.yml', 'socket-dev-provision-webhook-workflow.yml'],
  },
  stripe: {
    commit: 'bb0292eb5ed3b1884b611b7446b4052817b37de7',
    documents: [
      'stripe-charge-and-refund-workflow.yml',
      'stripe-create-product-and-price-workflow.yml',
      'stripe-cancel-subscription-workflow.yml',
    ],
  },
};

export interface CorpusFile {
  /** Where the file is in the corpus, below `<provider>/`. */
  path: string;
  /** Where it was taken from in the repository, when not `path`. */
  from?: string;
  sha256: string;
  bytes: number;
}

export interface CorpusEntry {
  provider: string;
  repository: string;
  commit: string;
  /** The Arazzo document, below `<provider>/`. */
  document: string;
  files: CorpusFile[];
}

export interface Manifest {
  source: string;
  licence: string;
  entries: CorpusEntry[];
}

function mirrorOf(mirrors: string, provider: string): string {
  for (const candidate of [`api-evangelist+${provider}/repo`, `api-evangelist+${provider}.git`]) {
    if (existsSync(join(mirrors, candidate))) return join(mirrors, candidate);
  }
  throw new Error(`no mirror of api-evangelist/${provider} under ${mirrors}`);
}

function show(gitDir: string, commit: string, path: string): Buffer | undefined {
  try {
    return execFileSync('git', ['--git-dir', gitDir, 'show', `${commit}:${path}`], {
      maxBuffer: 64 * 1024 * 1024,
      stdio: ['ignore', 'pipe', 'ignore'],
    });
  } catch {
    return undefined;
  }
}

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

function gather(mirrors: string): { manifest: Manifest; contents: Map<string, Buffer> } {
  const contents = new Map<string, Buffer>();
  const entries: CorpusEntry[] = [];
  for (const [provider, { commit, documents }] of Object.entries(SELECTION)) {
    const git = mirrorOf(mirrors, provider);
    for (const name of documents) {
      const document = `arazzo/${name}`;
      const text = show(git, commit, document);
      if (!text) throw new Error(`${provider}: ${document} is not in ${commit}`);
      const files: CorpusFile[] = [{ path: document, sha256: sha256(text), bytes: text.length }];
      contents.set(`${provider}/${document}`, text);
      const sources = (parse(text.toString('utf8'))?.sourceDescriptions ?? []) as Array<{ url?: unknown }>;
      for (const { url } of sources) {
        if (typeof url !== 'string' || /^[a-z]+:/i.test(url)) continue;
        const path = posix.normalize(posix.join('arazzo', url));
        const from = show(git, commit, path) ? path : `openapi/_original/${posix.basename(path)}`;
        const data = show(git, commit, from);
        if (!data) throw new Error(`${provider}: ${document} points at ${url}, found neither ${path} nor ${from}`);
        files.push({ path, ...(from === path ? {} : { from }), sha256: sha256(data), bytes: data.length });
        contents.set(`${provider}/${path}`, data);
      }
      entries.push({ provider, repository: `api-evangelist/${provider}`, commit, document, files });
    }
  }
  return {
    manifest: {
      source:
        "API Evangelist's public repositories on GitHub (api-evangelist/<provider>): documents under arazzo/, descriptions under openapi/",
      licence:
        'none stated: the repositories carry no licence file; used here as test input only, and not redistributed (the corpus is git-ignored)',
      entries,
    },
    contents,
  };
}

function main() {
  const args = process.argv.slice(2);
  const at = args.indexOf('--mirrors');
  if (at < 0 || !args[at + 1]) {
    console.error('usage: npx tsx scripts/gather-real-world-corpus.ts --mirrors <dir> [--record]');
    process.exit(2);
  }
  const { manifest, contents } = gather(args[at + 1]);
  if (args.includes('--record')) {
    writeFileSync(MANIFEST, `${JSON.stringify(manifest, null, 2)}\n`);
  } else {
    const recorded = JSON.parse(readFileSync(MANIFEST, 'utf8')) as Manifest;
    if (JSON.stringify(recorded.entries) !== JSON.stringify(manifest.entries)) {
      throw new Error('the mirrors do not give the recorded corpus (see manifest.json); --record to change it');
    }
  }
  for (const [path, data] of contents) {
    mkdirSync(dirname(join(CORPUS, path)), { recursive: true });
    writeFileSync(join(CORPUS, path), data);
  }
  const providers = new Set(manifest.entries.map((entry) => entry.provider)).size;
  console.log(`${manifest.entries.length} documents from ${providers} providers, ${contents.size} files in ${CORPUS}`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
