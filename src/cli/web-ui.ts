// Links into the Temporal Web UI. The base is `--ui-url`, else ARAZZO_TEMPORAL_UI_URL, else Temporal
// Cloud's for a *.tmprl.cloud address, else the dev server's default (gRPC port + 1000).
export function webUiBase(address: string, explicit?: string, env: NodeJS.ProcessEnv = process.env): string {
  const given = explicit ?? env.ARAZZO_TEMPORAL_UI_URL;
  if (given) return given.replace(/\/+$/, '');
  if (/\.tmprl\.cloud(:\d+)?$/.test(address)) return 'https://cloud.temporal.io';
  const match = /^(.*):(\d+)$/.exec(address);
  const host = match?.[1] ?? address;
  const port = match ? Number(match[2]) + 1000 : 8233;
  return `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`;
}

export function workflowLink(base: string, namespace: string, workflowId: string, runId?: string): string {
  const run = runId ? `/${encodeURIComponent(runId)}/history` : '';
  return `${base}/namespaces/${encodeURIComponent(namespace)}/workflows/${encodeURIComponent(workflowId)}${run}`;
}

export function scheduleLink(base: string, namespace: string, scheduleId: string): string {
  return `${base}/namespaces/${encodeURIComponent(namespace)}/schedules/${encodeURIComponent(scheduleId)}`;
}
