// The custom search attributes the interpreter upserts so runs can be found and filtered in the
// Web UI and with `temporal workflow list --query`. The project's dev server registers them;
// on other clusters they are optional (the workflow only upserts the ones the namespace has).
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const ArazzoWorkflowId = defineSearchAttributeKey('ArazzoWorkflowId', SearchAttributeType.KEYWORD);
export const ArazzoStep = defineSearchAttributeKey('ArazzoStep', SearchAttributeType.KEYWORD);
export const ArazzoState = defineSearchAttributeKey('ArazzoState', SearchAttributeType.KEYWORD);

export const arazzoSearchAttributes = [ArazzoWorkflowId, ArazzoStep, ArazzoState] as const;
