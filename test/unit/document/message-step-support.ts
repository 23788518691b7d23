// Test-side loading of Arazzo 1.1 documents with channel steps: the AsyncAPI descriptions are parsed by
// the real edge (src/asyncapi/parse-asyncapi.ts, the official parser), documents are served from memory.
import { readFileSync } from 'node:fs';
import { type DocumentSet, loadDocumentSet } from '../../../src/arazzo/document/index.js';
import { parseAsyncApi } from '../../../src/asyncapi/parse-asyncapi.js';
import { FIXTURES, REPO, readerWith } from './fixture-reader.js';

export const PET_ASYNCAPI = readFileSync(`${REPO}arazzo/examples/pet-asyncapi/pet-asyncapi.yaml`, 'utf8');
export const PET_OPENAPI = readFileSync(`${REPO}arazzo/examples/pet-asyncapi/petstore-openapi.yaml`, 'utf8');

/** Loads `arazzo` with `./orders.asyncapi.yaml` (default: the spec's pet file) and `./petstore.openapi.yaml` (our pet store) beside it. */
export function loadWithAsyncApi(arazzo: string, asyncapi = PET_ASYNCAPI): Promise<DocumentSet> {
  const url = `${FIXTURES}inline.arazzo.yaml`;
  return loadDocumentSet(url, {
    read: readerWith({
      [url]: arazzo,
      [`${FIXTURES}orders.asyncapi.yaml`]: asyncapi,
      [`${FIXTURES}petstore.openapi.yaml`]: PET_OPENAPI,
    }),
    parseAsyncApi,
  });
}

/** A 1.1 document with one workflow whose steps are `steps` (YAML, indented for `steps:`). */
export function document(steps: string, extraSources = ''): string {
  return `arazzo: 1.1.0
info: { title: t, version: '1' }
sourceDescriptions:
  - name: orders
    url: ./orders.asyncapi.yaml
    type: asyncapi
${extraSources}workflows:
  - workflowId: w
    inputs:
      type: object
      properties:
        id: { type: string }
        petId: { type: integer }
    steps:
${steps}`;
}

/** A send on placeOrder with the headers and payload its message requires. */
export const GOOD_SEND = `      - stepId: order
        operationId: $sourceDescriptions.orders.placeOrder
        action: send
        parameters:
          - { name: orderRequestId, in: header, value: $inputs.id }
        requestBody:
          payload: { petId: $inputs.petId }
`;

/** A receive on placeOrder's reply, correlated, with a timeout. */
export const GOOD_RECEIVE = `      - stepId: confirm
        operationId: $sourceDescriptions.orders.placeOrder
        action: receive
        correlationId: $inputs.id
        timeout: 5000
        successCriteria:
          - condition: $message.payload#/orderId != null
        outputs:
          orderId: $message.payload#/orderId
`;
