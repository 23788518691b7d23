#!/usr/bin/env node
// Installs the Apache Kafka broker the tests and `npm run kafka` run (a single-node KRaft broker on the
// JVM), and prints nothing when it is already installed. Plain Node (no TypeScript, no dependencies) so it
// runs right after `npm ci`, like scripts/temporal-install.mjs.
//
// What: org.apache.kafka:kafka_2.13 (KAFKA_VERSION) and its runtime dependencies, as jars, fetched by
// `mvn dependency:copy-dependencies` from the small pom in scripts/kafka/ into .tools/kafka/libs/.
// Why jars from Maven and not the release tarball: machines here reach package registries only, and the
// broker (kafka.Kafka) and its storage tool (kafka.tools.StorageTool) are ordinary Maven artifacts; Java 17
// and Maven are on the machine. Maven keeps its own cache (~/.m2), so a second install is offline.
//
// The install is atomic and idempotent: jars go to a temporary folder next to the target, a stamp file
// (the version and a hash of the pom) is written last, then the folder is renamed into place. A stamp that
// matches means installed; anything else (no folder, an older version, a half-copied folder from a killed
// run, which has no stamp) is replaced. Two installs racing end with one complete copy.
//
// Usage: node scripts/kafka-install.mjs [--print-path] [--quiet]
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findProjectRoot } from './project-root.mjs';

export const KAFKA_VERSION = '4.1.1';
const here = dirname(fileURLToPath(import.meta.url));

const projectRoot = findProjectRoot(here);
const pomPath = join(projectRoot, 'scripts', 'kafka', 'pom.xml');
/** The installed broker: libs/ holds the jars, STAMP says what was installed. */
export const kafkaHome = join(projectRoot, '.tools', 'kafka');
const STAMP = 'STAMP';

function onPath(name) {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir && existsSync(join(dir, name))) return join(dir, name);
  }
  return undefined;
}

/** The `java` to run the broker with: $JAVA_HOME/bin/java, else `java` on PATH. */
export function findJava() {
  const fromHome = process.env.JAVA_HOME && join(process.env.JAVA_HOME, 'bin', 'java');
  if (fromHome && existsSync(fromHome)) return fromHome;
  return onPath('java');
}

/** What a complete install of this checkout's pom says in its stamp. */
function expectedStamp() {
  const pom = readFileSync(pomPath);
  const hash = createHash('sha256').update(pom).digest('hex').slice(0, 16);
  return `kafka_2.13 ${KAFKA_VERSION} pom ${hash}\n`;
}

function isInstalled(home, stamp) {
  try {
    return readFileSync(join(home, STAMP), 'utf8') === stamp;
  } catch {
    return false;
  }
}

/** Where the broker is now, without installing anything: `{ home, classpath, version }` or undefined. */
export function findKafka() {
  if (!isInstalled(kafkaHome, expectedStamp())) return undefined;
  return { home: kafkaHome, classpath: join(kafkaHome, 'libs', '*'), version: KAFKA_VERSION };
}

function install(log) {
  const mvn = onPath('mvn');
  if (!mvn) return { ok: false, why: 'no `mvn` (Apache Maven) on PATH' };
  const stamp = expectedStamp();
  const tools = dirname(kafkaHome);
  mkdirSync(tools, { recursive: true });
  // Next to the target, so the final rename stays on one file system.
  const staging = mkdtempSync(join(tools, 'kafka.staging-'));
  try {
    const started = Date.now();
    const res = spawnSync(
      mvn,
      [
        '-B',
        '-q',
        '-f',
        pomPath,
        `-Dkafka.version=${KAFKA_VERSION}`,
        'dependency:copy-dependencies',
        '-DincludeScope=runtime',
        `-DoutputDirectory=${join(staging, 'libs')}`,
      ],
      { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
    );
    if (res.status !== 0) {
      const out = `${res.stdout ?? ''}${res.stderr ?? ''}`.trim().split('\n').slice(-15).join('\n  ');
      return {
        ok: false,
        why: `mvn dependency:copy-dependencies failed (exit ${res.status}):\n  ${out || res.error?.message}`,
      };
    }
    const jars = readdirSync(join(staging, 'libs')).filter((f) => f.endsWith('.jar'));
    if (!jars.some((f) => f === `kafka_2.13-${KAFKA_VERSION}.jar`)) {
      return {
        ok: false,
        why: `mvn finished but kafka_2.13-${KAFKA_VERSION}.jar is not among the ${jars.length} jars`,
      };
    }
    writeFileSync(join(staging, STAMP), stamp);
    // Into place: move whatever is there (an older version, a stamp-less leftover) aside first.
    let old;
    if (existsSync(kafkaHome)) {
      old = `${kafkaHome}.old-${process.pid}-${Date.now()}`;
      try {
        renameSync(kafkaHome, old);
      } catch {
        old = undefined;
      }
    }
    try {
      renameSync(staging, kafkaHome);
    } catch (err) {
      // Another install won the race; theirs is as good as ours if it is complete.
      if (!isInstalled(kafkaHome, stamp)) throw err;
    }
    if (old) rmSync(old, { recursive: true, force: true });
    log(
      `installed Apache Kafka ${KAFKA_VERSION} (${jars.length} jars) at ${kafkaHome} in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
    return { ok: true };
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/** Returns `{ home, classpath, version }`, installing the broker when needed; throws one clear message when it cannot. */
export function ensureKafka({ quiet = false } = {}) {
  const log = quiet ? () => {} : (m) => console.error(m);
  const found = findKafka();
  if (found) return found;
  let result;
  try {
    result = install(log);
  } catch (err) {
    result = { ok: false, why: err.message };
  }
  const installed = findKafka();
  if (result.ok && installed) return installed;
  throw new Error(
    [
      `Apache Kafka ${KAFKA_VERSION} (the broker for message steps' tests and \`npm run kafka\`) is not installed and could not be installed.`,
      `  Tried: mvn dependency:copy-dependencies on ${pomPath}`,
      `  ${result.why ?? 'the install left no complete copy'}`,
      'Fix this, then run `npm run kafka:install` again:',
      '  - install Apache Maven (`mvn`) and a Java 17+ runtime (Debian: apt-get install -y maven openjdk-17-jre-headless), and',
      '  - let Maven reach its default repository (or a mirror in ~/.m2/settings.xml).',
    ].join('\n'),
  );
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const { home } = ensureKafka({ quiet: process.argv.includes('--quiet') });
    if (!findJava()) {
      console.error(
        'Apache Kafka is installed, but no `java` was found (JAVA_HOME or PATH) to run it; install Java 17+.',
      );
      process.exit(1);
    }
    if (process.argv.includes('--print-path')) console.log(home);
  } catch (err) {
    console.error(err.message);
    process.exit(1);
  }
}
