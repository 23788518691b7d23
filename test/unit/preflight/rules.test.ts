// Each pre-flight rule on a small document written to trigger it and to avoid it (test/fixtures/preflight/,
// all against store.openapi.yaml). Every list is exhaustive: a finding added or lost fails the test. Rows are
// [severity, code, line:column, pointer, stepId, message, hint].
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../../src/arazzo/model.js';
import {
  checkCreateWithoutCleanup,
  checkEnumLiterals,
  checkListPositionTarget,
  checkOneTimeValueLost,
  checkRequestBody,
  checkRequestParameters,
  checkResponsePointers,
  checkSecretLockKey,
  checkStatusCodes,
  checkStatusOnlyVerification,
} from '../../../src/arazzo/preflight/index.js';
import { loadFixture, rows, runRule } from './helpers.js';

const withHints = (findings: Finding[]) => rows(findings).map((row, index) => [...row, findings[index].hint]);

describe('preflight-undeclared-status (status-codes.ts)', () => {
  it('a criterion requires a status the operation never declares: 2XX ranges count, default covers everything but unlisted successes, any || alternative suffices, 408/429/5xx in failure actions are exempt', async () => {
    const findings = runRule(await loadFixture('status-codes.arazzo.yaml'), checkStatusCodes);
    expect(withHints(findings)).toEqual([
      [
        'error',
        'preflight-undeclared-status',
        '24:24',
        '/workflows/0/steps/1/successCriteria/0/condition',
        'undeclared',
        'expects 201, but getOrder declares 200 for success',
        'the operation answers 200 on success: write $statusCode == 200 (or correct the OpenAPI description if the API really answers 201)',
      ],
      [
        'error',
        'preflight-undeclared-status',
        '36:24',
        '/workflows/0/steps/3/successCriteria/0/condition',
        'deleteAnswers204',
        'expects 200 or 202, but deleteOrder declares 204 for success',
        'the operation answers 204 on success: write $statusCode == 204 (or correct the OpenAPI description if the API really answers 200 or 202)',
      ],
      [
        'error',
        'preflight-undeclared-status',
        '46:24',
        '/workflows/0/steps/5/successCriteria/0/condition',
        'defaultDoesNotCoverSuccess',
        'expects 201, but listOrders declares 200 for success',
        'the operation answers 200 on success: write $statusCode == 200 (or correct the OpenAPI description if the API really answers 201)',
      ],
      [
        'error',
        'preflight-undeclared-status',
        '72:28',
        '/workflows/0/steps/6/onFailure/2/criteria/0/condition',
        'failureActions',
        'expects 409, but getOrder declares 200 or 404',
        'this criterion can never hold; remove it, or declare 409 in the OpenAPI description if the API sends it',
      ],
    ]);
  });
});

describe('preflight-unknown-response-pointer (response-pointers.ts)', () => {
  it('outputs, conditions, contexts and jsonpath member paths must exist in the responses they read (allOf/oneOf, items, additionalProperties, free-form objects, non-JSON and undescribed bodies not checked; a bodiless 204 reports); the suggestion ends in the same name and avoids deprecated fields', async () => {
    const findings = runRule(await loadFixture('response-pointers.arazzo.yaml'), checkResponsePointers);
    expect(withHints(findings)).toEqual([
      [
        'warning',
        'preflight-undeclared-response-pointer',
        '27:24',
        '/workflows/0/steps/0/successCriteria/4/condition',
        'read',
        '`$.line[0].sku` selects `#/line/0/sku`, which is not declared in the 200 response of getOrder (its schema allows undeclared properties); did you mean `$.lines[0].sku`?',
        'query $.lines[0].sku',
      ],
      [
        'warning',
        'preflight-undeclared-response-pointer',
        '38:17',
        '/workflows/0/steps/0/outputs/typo',
        'read',
        'output `typo`: `#/stauts` is not declared in the 200 response of getOrder (its schema allows undeclared properties); did you mean `#/status`?',
        'read $response.body#/status',
      ],
      [
        'warning',
        'preflight-undeclared-response-pointer',
        '39:18',
        '/workflows/0/steps/0/outputs/moved',
        'read',
        'output `moved`: `#/sku` is not declared in the 200 response of getOrder (its schema allows undeclared properties); did you mean `#/lines/0/sku`?',
        'read $response.body#/lines/0/sku',
      ],
      [
        'warning',
        'preflight-undeclared-response-pointer',
        '40:30',
        '/workflows/0/steps/0/outputs/deprecatedAvoided',
        'read',
        'output `deprecatedAvoided`: `#/ref/reference` is not declared in the 200 response of getOrder (its schema allows undeclared properties); did you mean `#/links/reference`?',
        'read $response.body#/links/reference',
      ],
      [
        'warning',
        'preflight-undeclared-response-pointer',
        '41:25',
        '/workflows/0/steps/0/outputs/nothingClose',
        'read',
        'output `nothingClose`: `#/zzzzzzzzzz` is not declared in the 200 response of getOrder (its schema allows undeclared properties)',
        'its top-level properties: id, lines, meta, tags, variant, reference, links, status',
      ],
      [
        'warning',
        'preflight-undeclared-response-pointer',
        '53:28',
        '/workflows/0/steps/0/onFailure/1/criteria/1/condition',
        'read',
        '`#/code` is not declared in the 404 response of getOrder (its schema allows undeclared properties); did you mean `#/error/code`?',
        'read $response.body#/error/code',
      ],
      [
        'error',
        'preflight-unknown-response-pointer',
        '61:20',
        '/workflows/0/steps/1/outputs/deleted',
        'remove',
        'output `deleted`: `#/id` reads the body of the 204 response of deleteOrder, which has no body',
        'read a header or the status code instead, or correct the OpenAPI description',
      ],
    ]);
  });
});

describe('preflight-enum-mismatch (enum-literals.ts)', () => {
  it('== against a literal the enum cannot hold, case-insensitively like the runtime; checked at the suggested field when the pointer is wrong; != and fields without an enum are not checked', async () => {
    const findings = runRule(await loadFixture('enum-literals.arazzo.yaml'), checkEnumLiterals);
    expect(withHints(findings)).toEqual([
      [
        'error',
        'preflight-enum-mismatch',
        '19:24',
        '/workflows/0/steps/0/successCriteria/2/condition',
        'read',
        '`delivered` is not one of pending, shipped, cancelled (`#/status` in the 200 response of getOrder)',
        'compare with one of pending, shipped, cancelled (strings compare case-insensitively)',
      ],
      [
        'error',
        'preflight-enum-mismatch',
        '20:24',
        '/workflows/0/steps/0/successCriteria/3/condition',
        'read',
        '`shiped` is not one of pending, shipped, cancelled (`#/status` in the 200 response of getOrder)',
        'did you mean `shipped`?',
      ],
      [
        'error',
        'preflight-enum-mismatch',
        '22:24',
        '/workflows/0/steps/0/successCriteria/5/condition',
        'read',
        '`lost` is not one of pending, shipped, cancelled (`#/status` in the 200 response of getOrder)',
        'compare with one of pending, shipped, cancelled (strings compare case-insensitively)',
      ],
      [
        'error',
        'preflight-enum-mismatch',
        '25:24',
        '/workflows/0/steps/0/successCriteria/6/condition',
        'read',
        '`lost` is not one of pending, shipped, cancelled (`#/status` in the 200 response of getOrder)',
        'compare with one of pending, shipped, cancelled (strings compare case-insensitively)',
      ],
      [
        'error',
        'preflight-enum-mismatch',
        '30:24',
        '/workflows/0/steps/0/successCriteria/9/condition',
        'read',
        '`lost` is not one of pending, shipped, cancelled (`#/status` in the 200 response of getOrder, the closest match for `#/state`)',
        'compare with one of pending, shipped, cancelled (strings compare case-insensitively)',
      ],
    ]);
  });
});

describe('preflight request parameters (request-parameters.ts)', () => {
  it('required query/header/cookie parameters present (header names case-insensitive), fed by a required input or one with a default; unknown names and wrong locations warned; Authorization, Accept and security-scheme names skipped; workflow-level parameters not warned', async () => {
    const findings = runRule(await loadFixture('request-parameters.arazzo.yaml'), checkRequestParameters);
    expect(withHints(findings)).toEqual([
      [
        'error',
        'preflight-missing-required-parameter',
        '23:9',
        '/workflows/0/steps/0/parameters',
        'missingHeader',
        'header parameter `X-Tenant` is required by listOrders but the step does not pass it',
        "add { name: X-Tenant, in: header, value: ... } to the step's parameters",
      ],
      [
        'warning',
        'preflight-required-from-optional-input',
        '35:50',
        '/workflows/0/steps/2/parameters/0/value',
        'optionalFeed',
        '`X-Tenant` is required by listOrders but fed by optional input `tenantOpt`',
        'make tenantOpt required in the workflow inputs, or give it a default',
      ],
      [
        'warning',
        'preflight-unknown-parameter',
        '44:21',
        '/workflows/0/steps/4/parameters/1/name',
        'unknownNames',
        'listOrders declares no query parameter `limt`',
        'did you mean "limit"?',
      ],
      [
        'warning',
        'preflight-unknown-parameter',
        '45:21',
        '/workflows/0/steps/4/parameters/2/name',
        'unknownNames',
        '`limit` is a query parameter of listOrders, not a header parameter',
        'write in: query',
      ],
      [
        'warning',
        'preflight-unknown-parameter',
        '46:21',
        '/workflows/0/steps/4/parameters/3/name',
        'unknownNames',
        'listOrders declares no cookie parameter `session`',
        'it declares no cookie parameters; the API ignores or rejects it',
      ],
      [
        'warning',
        'preflight-required-from-optional-input',
        '50:47',
        '/workflows/0/steps/5/parameters/0/value',
        'optionalPath',
        '`orderId` is required by getOrder but fed by optional input `tenantOpt`',
        'make tenantOpt required in the workflow inputs, or give it a default',
      ],
    ]);
  });
});

describe('preflight request body (request-body.ts)', () => {
  it('required properties (nested, or set by a replacement), properties fed by optional inputs, undeclared properties (an error under additionalProperties: false), a required body missing; a whole-expression payload is not checked', async () => {
    const findings = runRule(await loadFixture('request-body.arazzo.yaml'), checkRequestBody);
    expect(withHints(findings)).toEqual([
      [
        'error',
        'preflight-missing-required-property',
        '31:11',
        '/workflows/0/steps/1/requestBody/payload',
        'missingQuantity',
        '`quantity` is required by the createOrder request body but the payload does not set it',
        'add `quantity` to the payload',
      ],
      [
        'error',
        'preflight-undeclared-property',
        '39:19',
        '/workflows/0/steps/2/requestBody/payload/gift',
        'closedSchema',
        '`gift` is not a property of the createOrder request body (it declares item, quantity, note, shipping)',
        'the schema sets additionalProperties: false, so the API rejects it; remove it',
      ],
      [
        'error',
        'preflight-missing-required-property',
        '46:23',
        '/workflows/0/steps/3/requestBody/payload/shipping',
        'nestedRequired',
        '`shipping.city` is required by the createOrder request body but the payload does not set it',
        'add `city` to the payload',
      ],
      [
        'warning',
        'preflight-required-from-optional-input',
        '51:19',
        '/workflows/0/steps/4/requestBody/payload/item',
        'optionalFeed',
        '`item` is required by createOrder but fed by optional input `itemOpt`',
        'make itemOpt required in the workflow inputs, or give it a default',
      ],
      [
        'warning',
        'preflight-required-from-optional-input',
        '60:22',
        '/workflows/0/steps/5/requestBody/replacements/0/value',
        'replacementSetsIt',
        '`quantity` is required by createOrder but fed by optional input `quantity`',
        'make quantity required in the workflow inputs, or give it a default',
      ],
      [
        'error',
        'preflight-missing-request-body',
        '61:9',
        '/workflows/0/steps/6',
        'noBody',
        'createOrder requires a request body but the step sends none',
        'add a requestBody with a payload',
      ],
      [
        'error',
        'preflight-undeclared-property',
        '70:20',
        '/workflows/0/steps/8/requestBody/payload/colour',
        'jsonText',
        '`colour` is not a property of the createOrder request body (it declares item, quantity, note, shipping)',
        'the schema sets additionalProperties: false, so the API rejects it; remove it',
      ],
      [
        'warning',
        'preflight-undeclared-property',
        '77:19',
        '/workflows/0/steps/9/requestBody/payload/nots',
        'openSchema',
        '`nots` is not a property of the updateOrder request body (it declares note)',
        'did you mean "note"?',
      ],
    ]);
  });
});

describe('preflight-list-position-target (list-position-target.ts)', () => {
  it('a DELETE target taken from a list position, directly or through step outputs; an input target and non-DELETE steps are fine', async () => {
    const findings = runRule(await loadFixture('list-position-target.arazzo.yaml'), checkListPositionTarget);
    expect(withHints(findings)).toEqual([
      [
        'error',
        'preflight-list-position-target',
        '32:47',
        '/workflows/0/steps/2/parameters/0/value',
        'deleteFirst',
        '`deleteFirst` deletes the item at position 0 of a list (`$steps.list.outputs.firstId` = `$response.body#/orders/0/id`)',
        "a list's order and content are not guaranteed (empty, several items, or the replacement after a rerun): take the id from an input or from the step that created it, and read it back before deleting",
      ],
      [
        'error',
        'preflight-list-position-target',
        '36:47',
        '/workflows/0/steps/3/parameters/0/value',
        'deleteSecondDirectly',
        '`deleteSecondDirectly` deletes the item at position 1 of a list (`$steps.list.outputs.all#/1/id`)',
        "a list's order and content are not guaranteed (empty, several items, or the replacement after a rerun): take the id from an input or from the step that created it, and read it back before deleting",
      ],
      [
        'error',
        'preflight-list-position-target',
        '40:47',
        '/workflows/0/steps/4/parameters/0/value',
        'deleteThroughCopy',
        '`deleteThroughCopy` deletes the item at position 0 of a list (`$steps.copy.outputs.picked` = `$steps.list.outputs.firstId` = `$response.body#/orders/0/id`)',
        "a list's order and content are not guaranteed (empty, several items, or the replacement after a rerun): take the id from an input or from the step that created it, and read it back before deleting",
      ],
    ]);
  });
});

describe('preflight-create-without-cleanup (create-without-cleanup.ts)', () => {
  it('a create followed by steps without a goto failure action (retry does not count); x-compensation, a goto (own, component or workflow-level), a search POST and a create as the last step are fine', async () => {
    const findings = runRule(await loadFixture('create-without-cleanup.arazzo.yaml'), checkCreateWithoutCleanup);
    expect(withHints(findings)).toEqual([
      [
        'warning',
        'preflight-create-without-cleanup',
        '18:9',
        '/workflows/0/steps/0',
        'create',
        'if `read`, `retried` or `cleanUp` fails, the order created by `create` is left behind',
        'declare `x-compensation` on `create` (an idempotent delete of what it created) or an onFailure goto to a cleanup step',
      ],
    ]);
  });
});

describe('preflight-status-only-verification (status-only-verification.ts)', () => {
  it('a GET list step nobody reads the outputs of, checking only the status (or nothing); a step whose outputs are used, a contents criterion, or a non-list are fine', async () => {
    const findings = runRule(await loadFixture('status-only-verification.arazzo.yaml'), checkStatusOnlyVerification);
    expect(withHints(findings)).toEqual([
      [
        'warning',
        'preflight-status-only-verification',
        '18:9',
        '/workflows/0/steps/0/successCriteria',
        'statusOnly',
        '`statusOnly` checks only the status code of listOrders, which returns a list: it passes whatever the list holds',
        'check the contents (e.g. a jsonpath criterion selecting the expected item), or read the item back by id',
      ],
      [
        'warning',
        'preflight-status-only-verification',
        '22:9',
        '/workflows/0/steps/1',
        'noCriteria',
        '`noCriteria` checks only the status code of listOrders, which returns a list: it passes whatever the list holds',
        'check the contents (e.g. a jsonpath criterion selecting the expected item), or read the item back by id',
      ],
    ]);
  });
});

describe('preflight-one-time-value-lost (one-time-value-lost.ts)', () => {
  it('a credential output (body field or header) nothing delivers; ids, non-string fields, returned and used values are fine', async () => {
    const findings = runRule(await loadFixture('one-time-value-lost.arazzo.yaml'), checkOneTimeValueLost);
    expect(withHints(findings)).toEqual([
      [
        'error',
        'preflight-one-time-value-lost',
        '21:18',
        '/workflows/0/steps/0/outputs/token',
        'issue',
        'output `token` captures a value that may be shown only once (`$response.body#/token`; issueToken creates it and no GET operation of the description returns `token`), and it is neither a workflow output nor read by another step: it is lost when the run ends',
        "return it in the workflow's outputs (e.g. `token: $steps.issue.outputs.token`) or deliver it in a later step",
      ],
      [
        'error',
        'preflight-one-time-value-lost',
        '24:24',
        '/workflows/0/steps/0/outputs/headerToken',
        'issue',
        'output `headerToken` captures a value that may be shown only once (`$response.header.X-Auth-Token`; issueToken creates it and no GET operation of the description returns `X-Auth-Token`), and it is neither a workflow output nor read by another step: it is lost when the run ends',
        "return it in the workflow's outputs (e.g. `headerToken: $steps.issue.outputs.headerToken`) or deliver it in a later step",
      ],
    ]);
  });
});

describe('preflight-secret-lock-key (secret-lock-key.ts)', () => {
  it('an x-lock-key reading a secret input (credential name, format: password, x-secret through $ref and allOf, a credential-named member), once per workflow; identifiers and workflows without a key are fine', async () => {
    const findings = runRule(await loadFixture('secret-lock-key.arazzo.yaml'), checkSecretLockKey);
    const hint =
      'build the key from what identifies the credential, not from the credential itself (e.g. `prisma:{$inputs.databaseId}:{$inputs.connectionId}`)';
    const message = (reads: string) =>
      `\`x-lock-key\` reads the secret ${reads}: the lock's workflow id (\`arazzo-lock:<key>\`) would hold the secret in clear, in the server's database, \`temporal workflow list\` and the Web UI`;
    expect(withHints(findings)).toEqual([
      [
        'error',
        'preflight-secret-lock-key',
        '19:17',
        '/workflows/0/x-lock-key',
        undefined,
        message('`$inputs.apiToken`'),
        hint,
      ],
      [
        'error',
        'preflight-secret-lock-key',
        '31:17',
        '/workflows/1/x-lock-key',
        undefined,
        message('`$inputs.pin`'),
        hint,
      ],
      [
        'error',
        'preflight-secret-lock-key',
        '40:17',
        '/workflows/2/x-lock-key',
        undefined,
        message('`$inputs.tenant`'),
        hint,
      ],
      [
        'error',
        'preflight-secret-lock-key',
        '47:17',
        '/workflows/3/x-lock-key',
        undefined,
        message('`$inputs.config#/apiKey`'),
        hint,
      ],
    ]);
  });
});
