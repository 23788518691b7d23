import { Command } from 'commander';
import { EXIT } from '../errors.js';
import { out, printJson } from '../output.js';

export function checkCommand(): Command {
  return new Command('check')
    .description('validate a document and pre-flight it against the OpenAPI operations it calls (nothing is sent)')
    .argument('<document>', 'Arazzo document (path or http(s) URL)')
    .option('--workflow <id>', 'pre-flight only this workflow (validation covers the whole document)')
    .option('--strict', 'strict Arazzo templates: only {$...} inside strings is an expression', false)
    .option('--json', 'machine-readable output', false)
    .addHelpText('after', '\nExit codes: 0 no errors (warnings allowed), 1 errors found, 2 usage error.')
    .action(async (document: string, o: { workflow?: string; strict: boolean; json: boolean }) => {
      const { checkDocument } = await import('../check-document.js');
      const { formatFindings } = await import('../../arazzo/format-finding.js');
      const result = await checkDocument(document, { workflowId: o.workflow, strict: o.strict });
      if (o.json) printJson({ ok: result.errors === 0, ...result });
      else {
        if (result.findings.length) out(formatFindings(result.findings));
        const verdict = result.errors ? '✘' : '✔';
        out(`${verdict} ${document}: ${plural(result.errors, 'error')}, ${plural(result.warnings, 'warning')}`);
      }
      process.exitCode = result.errors ? EXIT.failure : EXIT.ok;
    });
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
