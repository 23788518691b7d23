// Secrets inside one step activity: find which references the request uses, check the worker allows
// each one and the host it would go to, read them, build the real request; afterwards, deliver
// minted secrets to sinks and scrub every secret from what the activity returns or throws.
import { randomBytes } from 'node:crypto';
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
  readRunInput?: (name: string) => Promise<unknown>;
}

export class StepSecrets {
  /** Values that must never leave: referenced secrets and delivered ones (whole occurrences in outputs). */
  readonly strict = new Scrubber();
  /** Also secrets seen in the response and secret-named outputs: for messages and explanations. */
  readonly all = new Scrubber();

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
   * is replaced by a reference; referenced and delivered secrets never appear in any output.
   */
  async finishOutputs(outputs: Record<string, unknown>): Promise<Record<string, unknown>> {
    const out: Record<string, unknown> = {};
    const sinks = sinksFor(this.options.policy.sinkDir);
    for (const [name, value] of Object.entries(outputs)) {
      const spec = this.options.deliver?.[`${this.options.stepId}.${name}`] ?? this.options.deliver?.[name];
      if (spec !== undefined && value !== undefined && value !== null && !isSecretRef(value)) {
        const parsed = parseDeliverySpec(spec);
        const sink = parsed && sinks.get(parsed.kind);
        if (!parsed || !sink) throw new SecretRefError('SecretNotAllowed', `deliver.${name}: no such sink "${spec}"`);
        const text = typeof value === 'string' ? value : JSON.stringify(value);
        await sink.deliver(parsed.name, text);
        this.remember(text, true);
        const ref: SecretRef = {
          $secret: `delivered:${parsed.kind}:${parsed.name}`,
          delivered: {
            to: parsed.kind,
            name: parsed.name,
            fingerprint: fingerprint(text),
            step: this.options.stepId,
            output: name,
            at: new Date().toISOString(),
          },
        };
        out[name] = ref;
        continue;
      }
      if (isSecretName(name) && typeof value === 'string') this.all.add(value);
      out[name] = value;
    }
    return this.strict.deep(out, { whole: true });
  }

  /**
   * One-time secrets found in the response of a create that the step then judged failed: delivered to
   * the worker's file sink when it has one (named after the run and step), otherwise kept as values
   * (history is encrypted by the codec) — in both cases masked in every message and view.
   */
  async keepCreatedSecrets(found: Record<string, string>, runTag: string): Promise<Record<string, unknown>> {
    const sink = sinksFor(this.options.policy.sinkDir).get('file');
    const out: Record<string, unknown> = {};
    let n = 0;
    for (const [pointer, value] of Object.entries(found)) {
      this.remember(value, true);
      if (!sink) {
        out[pointer] = value;
        continue;
      }
      n += 1;
      const name = `recovered-${runTag}-${this.options.stepId}-${n}.txt`;
      await sink.deliver(name, value);
      out[pointer] = {
        $secret: `delivered:file:${name}`,
        delivered: {
          to: 'file',
          name,
          fingerprint: fingerprint(value),
          step: this.options.stepId,
          output: pointer,
          at: new Date().toISOString(),
        },
      } satisfies SecretRef;
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

function uniqueRefs(refs: SecretRef[]): SecretRef[] {
  const byText = new Map<string, SecretRef>();
  for (const r of refs) if (!byText.has(r.$secret)) byText.set(r.$secret, r);
  return [...byText.values()];
}
