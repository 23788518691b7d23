// Secrets inside one step activity: find which references the request uses, check the worker allows
// each one and the host it would go to, read them, build the real request; afterwards, deliver
// minted secrets to sinks and scrub every secret from what the activity returns or throws.
import { createHash, randomBytes } from 'node:crypto';
import type { CriterionResult } from '../arazzo/criteria/index.js';
import type { ExpressionContext } from '../arazzo/expressions/index.js';
import { fingerprint, isSecretName, maskValue } from '../arazzo/secrets/mask.js';
import { buildOperationRequest, type OperationCall } from '../arazzo/plan/step-execution.js';
import type { BuiltRequest } from '../arazzo/request/index.js';
import { hostMatches, hostOf, urlHostAllowed } from '../arazzo/request/hosts.js';
import { hostProblem, type SecretPolicy } from './policy.js';
import { checkRef, resolveRef, SecretRefError } from './resolver.js';
import { readRunInput } from './run-input.js';
import { collectRefs, isSecretRef, mapRefs, type SecretRef } from '../arazzo/secrets/refs.js';
import { Scrubber, secretStringsIn } from './scrub.js';
import { verifiedServerUrl } from './seal.js';
import { parseDeliverySpec, sinksFor } from './sinks.js';

export interface StepSecretsOptions {
  policy: SecretPolicy;
  allowedServerHosts: readonly string[];
  stepId: string;
  /** The run's `deliver` map: output name (or `stepId.output`) → `sink:name`. */
  deliver?: Record<string, string>;
  /**
   * Names this execution (run and activity): a delivery whose name is taken goes to a name derived from
   * the requested one and this tag (see sinks.ts `taggedName`).
   */
  deliveryTag?: string;
  readRunInput?: (name: string) => Promise<unknown>;
}

export class StepSecrets {
  /** Values that must never leave: referenced secrets and delivered ones (whole occurrences in outputs). */
  readonly strict = new Scrubber();
  /** Also secrets seen in the response and secret-named outputs: for messages and explanations. */
  readonly all = new Scrubber();
  /** Secrets the run asked to deliver that no sink took: kept as values (see StepResult.undelivered). */
  readonly undelivered: Undelivered[] = [];

  constructor(private readonly options: StepSecretsOptions) {}

  private remember(value: unknown, strict: boolean) {
    if (strict) this.strict.addAll(value);
    this.all.addAll(value);
  }

  /**
   * The request with the references it uses resolved. Every used reference is checked (allowed by
   * the worker, allowed toward this host) before any of them is read, and before anything is sent.
   */
  async buildRequest(
    call: OperationCall,
    context: ExpressionContext,
    build: { serverUrl?: string; strict?: boolean },
  ): Promise<BuiltRequest> {
    const { serverUrl } = build;
    if (serverUrl !== undefined) {
      if (!urlHostAllowed(serverUrl, this.options.allowedServerHosts)) {
        throw new SecretRefError(
          'SecretHostNotAllowed',
          `server override ${serverUrl} is not on a host this worker allows`,
        );
      }
    }
    const refs = uniqueRefs(collectRefs(context));
    if (refs.length === 0) return buildOperationRequest(call, context, build);

    const nonce = randomBytes(6).toString('hex');
    const placeholder = (i: number) => `ArazzoSecret${nonce}x${i}x`;
    const index = new Map(refs.map((r, i) => [r.$secret, i]));
    const draft = buildOperationRequest(
      call,
      mapRefs(context, (r) => placeholder(index.get(r.$secret)!)) as ExpressionContext,
      build,
    );
    const sent = `${draft.url}\n${JSON.stringify(draft.headers)}\n${draft.body ?? ''}`;
    const used = refs.filter((_, i) => sent.includes(placeholder(i)));
    if (used.length === 0) return buildOperationRequest(call, context, build);

    const targetHost = hostOf(draft.url) ?? '';
    const sealedServerUrl = verifiedServerUrl(call.operation);
    for (const ref of used) {
      checkRef(ref, this.options.policy, true);
      const problem = hostProblem(
        {
          refText: ref.$secret,
          targetHost,
          sealedServerUrl,
          overrideUrl: serverUrl,
          allowedServerHosts: this.options.allowedServerHosts,
        },
        this.options.policy,
      );
      if (problem) throw new SecretRefError('SecretHostNotAllowed', problem);
    }
    const values = new Map<string, unknown>();
    for (const ref of used) {
      const value = await resolveRef(ref, {
        policy: this.options.policy,
        allowInput: true,
        readRunInput: this.options.readRunInput ?? readRunInput,
      });
      values.set(ref.$secret, value);
      this.remember(value, true);
    }
    const request = buildOperationRequest(
      call,
      mapRefs(context, (r) => (values.has(r.$secret) ? values.get(r.$secret) : r)) as ExpressionContext,
      build,
    );
    if (!hostMatches(hostOf(request.url) ?? '', targetHost)) {
      throw new SecretRefError('SecretHostNotAllowed', 'the request host changed when secrets were filled in');
    }
    return request;
  }

  /** Secrets the response carries under credential-named keys (masked in explanations and messages). */
  noteResponse(body: unknown) {
    for (const s of secretStringsIn(body)) this.all.add(s);
  }

  /**
   * Outputs as the activity returns them: each output the run asked to deliver goes to its sink and
   * is replaced by a reference naming where it really went; referenced and delivered secrets never
   * appear in any output. A value no sink took is never dropped: it stays the output's value (so only
   * the run's encrypted history holds it, as without a sink) and is listed in `undelivered`.
   */
  async finishOutputs(outputs: Record<string, unknown>): Promise<Record<string, unknown>> {
    const out: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(outputs)) {
      const spec = this.options.deliver?.[`${this.options.stepId}.${name}`] ?? this.options.deliver?.[name];
      if (spec !== undefined && value !== undefined && value !== null && !isSecretRef(value)) {
        const text = typeof value === 'string' ? value : JSON.stringify(value);
        const delivered = await this.deliver(spec, text, name);
        out[name] = delivered ?? value;
        continue;
      }
      if (isSecretName(name) && typeof value === 'string') this.all.add(value);
      out[name] = value;
    }
    return this.strict.deep(out, { whole: true });
  }

  /** `text` to the sink `spec` names: the reference to where it went, or undefined (then listed in `undelivered`). */
  private async deliver(spec: string, text: string, output: string): Promise<SecretRef | undefined> {
    const parsed = parseDeliverySpec(spec);
    const sink = parsed && sinksFor(this.options.policy.sinkDir).get(parsed.kind);
    let where: { name: string };
    try {
      if (!parsed || !sink) {
        throw new Error(parsed ? `this worker has no "${parsed.kind}" secret sink` : `"${spec}" is not <sink>:<name>`);
      }
      where = await sink.deliver(parsed.name, text, { tag: this.options.deliveryTag });
    } catch (err) {
      this.all.add(text);
      const reason = this.all.text(err instanceof Error ? err.message : String(err));
      this.undelivered.push({ output, to: spec, reason });
      return undefined;
    }
    this.remember(text, true);
    return {
      $secret: `delivered:${parsed.kind}:${where.name}`,
      delivered: {
        to: parsed.kind,
        name: where.name,
        fingerprint: fingerprint(text),
        step: this.options.stepId,
        output,
        at: new Date().toISOString(),
      },
    };
  }

  /**
   * One-time secrets found in the response of a create that the step then judged failed: delivered to
   * the worker's file sink when it has one (named after the run and step), otherwise kept as values
   * (history is encrypted by the codec) — in both cases masked in every message and view. A secret the
   * sink does not take is kept as a value too, and listed in `undelivered`.
   */
  async keepCreatedSecrets(found: Record<string, string>, runTag: string): Promise<Record<string, unknown>> {
    const hasSink = sinksFor(this.options.policy.sinkDir).has('file');
    const out: Record<string, unknown> = {};
    let n = 0;
    for (const [pointer, value] of Object.entries(found)) {
      this.remember(value, true);
      if (!hasSink) {
        out[pointer] = value;
        continue;
      }
      n += 1;
      const name = recoveredName(runTag, this.options.stepId, n);
      out[pointer] = (await this.deliver(`file:${name}`, value, pointer)) ?? value;
    }
    return out;
  }

  text(message: string): string {
    return this.all.text(message);
  }

  /** A copy of the response context with secrets masked, to explain a failed criterion without them. */
  redactedContext(context: ExpressionContext): ExpressionContext {
    const maskUnderSecretKeys = (v: unknown, depth = 0): unknown => {
      if (depth > 64 || v === null || typeof v !== 'object') return v;
      if (Array.isArray(v)) return v.map((x) => maskUnderSecretKeys(x, depth + 1));
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) {
        out[k] = typeof x === 'string' && isSecretName(k) ? maskValue(x) : maskUnderSecretKeys(x, depth + 1);
      }
      return out;
    };
    return {
      ...context,
      url: context.url === undefined ? undefined : this.all.text(context.url),
      request: context.request ? this.all.deep(context.request) : undefined,
      response: context.response
        ? {
            headers: this.all.deep(context.response.headers),
            body: this.all.deep(maskUnderSecretKeys(context.response.body)),
          }
        : undefined,
    };
  }

  explain(
    result: Pick<CriterionResult, 'condition' | 'explanation'>,
  ): Pick<CriterionResult, 'condition' | 'explanation'> {
    return {
      condition: this.all.text(result.condition),
      explanation: result.explanation === undefined ? undefined : this.all.text(result.explanation),
    };
  }
}

/** A secret the run asked to deliver that stayed the output's value (StepResult.undelivered). */
export interface Undelivered {
  /** The output's name (for a failed create's one-time secret: its pointer in the response). */
  output: string;
  /** Where it was to go (`file:name`). */
  to: string;
  /** Why it is not there (no secret in it). */
  reason: string;
}

/** `recovered-<run>-<step>-<n>.txt`, the run's part cut (and a hash added) when that is not a plain file name. */
function recoveredName(runTag: string, stepId: string, n: number): string {
  const safe = (t: string) => t.replace(/[^A-Za-z0-9_.-]/g, '_');
  const whole = `recovered-${safe(runTag)}-${safe(stepId)}-${n}.txt`;
  if (whole.length <= 128) return whole;
  const hash = createHash('sha256').update(`${runTag}\n${stepId}`).digest('hex').slice(0, 10);
  const short = `recovered-${safe(runTag).slice(0, 32)}-${hash}-${safe(stepId)}-${n}.txt`;
  return short.length <= 128 ? short : `recovered-${safe(runTag).slice(0, 32)}-${hash}-${n}.txt`;
}

function uniqueRefs(refs: SecretRef[]): SecretRef[] {
  const byText = new Map<string, SecretRef>();
  for (const r of refs) if (!byText.has(r.$secret)) byText.set(r.$secret, r);
  return [...byText.values()];
}
