import { Command } from 'commander';
import { out, printJson } from '../output.js';

export function listCommand(): Command {
  return new Command('list')
    .description("a document's workflows, their inputs (type, required, secret) and steps")
    .argument('<document>', 'Arazzo document (path or http(s) URL)')
    .option('--json', 'machine-readable output', false)
    .action(async (document: string, o: { json: boolean }) => {
      const { describeDocument, renderDocumentDescription } = await import('../describe-document.js');
      const description = await describeDocument(document);
      if (o.json) printJson(description);
      else out(renderDocumentDescription(description));
    });
}
