// preflight-undeclared-status (error): a criterion that can only hold for statuses the operation
// never declares. The seed that expects 204 from a delete answering 200 deletes the key and then
// reports failure; this is visible in the description before anything runs.
//
// Checked: successCriteria and the criteria of inline onSuccess/onFailure actions; satisfiable when
// ANY alternative (`||`) is declared (see responses.ts for `2XX` and `default`). In failure actions,
// 408, 429 and 5xx are exempt: any HTTP server, gateway or rate limiter may send them, so retrying on
// them is defensive, not a mistake.
import { isSuccessStatus } from '../../http/semantics.js';
import { itemsOf, type JsonObject } from '../../validate/document-walk.js';
import { operationLabel, type PreflightContext, type StepTarget } from '../context.js';
import { declaredResponses, describeKeys, responseKeyFor, successKeys } from '../responses.js';
import { criterionStatuses } from '../status-conditions.js';

const isInfrastructureStatus = (status: number) => status === 408 || status === 429 || status >= 500;

export function checkStatusCodes(ctx: PreflightContext, target: StepTarget): void {
  const { stepNode, operation } = target;
  if (!operation) return;
  const declared = declaredResponses(operation);
  if (declared.keys.length === 0) return;
  const lists: Array<{ owner: JsonObject; field: string; pointer: string; failure: boolean }> = [
    { owner: stepNode.step, field: 'successCriteria', pointer: stepNode.pointer, failure: false },
  ];
  for (const field of ['onSuccess', 'onFailure']) {
    for (const { item, pointer } of itemsOf(stepNode.step, field, stepNode.pointer)) {
      lists.push({ owner: item, field: 'criteria', pointer, failure: field === 'onFailure' });
    }
  }
  for (const list of lists) {
    for (const { item, pointer } of itemsOf(list.owner, list.field, list.pointer)) {
      const set = criterionStatuses(item);
      if (set === 'any') continue;
      const expected = [...set]
        .filter((status) => !(list.failure && isInfrastructureStatus(status)))
        .sort((a, b) => a - b);
      if (expected.length === 0) continue;
      if (expected.some((status) => responseKeyFor(status, declared) !== undefined)) continue;
      const wantsSuccess = expected.some(isSuccessStatus);
      const success = successKeys(declared).filter((key) => key !== 'default');
      const listed = wantsSuccess && success.length > 0 ? success : declared.keys;
      const label = operationLabel(operation);
      ctx.report({
        code: 'preflight-undeclared-status',
        message: `expects ${describeKeys(expected.map(String))}, but ${label} declares ${describeKeys(listed)}${
          wantsSuccess && success.length > 0 ? ' for success' : ''
        }`,
        hint:
          wantsSuccess && success.length > 0
            ? successHint(success, expected)
            : `this criterion can never hold; remove it, or declare ${describeKeys(expected.map(String))} in the OpenAPI description if the API sends it`,
        // A status set comes only from a parsed `condition`, so the criterion has one.
        pointer: `${pointer}/condition`,
      });
    }
  }
}

function successHint(success: string[], expected: number[]): string {
  const codes = success.filter((key) => /^\d+$/.test(key));
  const condition =
    codes.length > 0
      ? codes.map((code) => `$statusCode == ${code}`).join(' || ')
      : `a status within ${describeKeys(success)}`;
  return `the operation answers ${describeKeys(success)} on success: write ${condition} (or correct the OpenAPI description if the API really answers ${describeKeys(expected.map(String))})`;
}
