// `check`: everything that can be known about a document without calling an API. Validation (schema
// and semantic rules) and pre-flight (each step against the operation it calls) both run, so one
// check reports everything there is to fix.
import { Command } from 'commander';
import type { Finding } from '../../arazzo/model.js';
import type { SchemaChoice } from '../../arazzo/validate/index.js';
import { EXIT, UsageError } from '../errors.js';
import { out, printJson } from '../output.js';
import { displayPath } from '../show-findings.js';

interface CheckFlags {
  /** Pre-flight only this workflow (validation always covers the whole document). */
  workflow?: string;
  strict: boolean;
  json: boolean;
  /** `<stepId>:<code>` entries silencing one pre-flight finding for one step. */
  ignore: string[];
  /** Print why a rule exists and how to silence it for one step, instead of checking. */
  explain?: string;
  /** Read source descriptions and `$ref`s over HTTP for a local document (a URL document always may). */
  allowRemote: boolean;
}

const collect = (value: string, previous: string[]) => [...previous, value];

export function checkCommand(): Command {
  return new Command('check')
    .description('validate a document and pre-flight it against the OpenAPI operations it calls (nothing is sent)')
    .argument('[document]', 'Arazzo document (path or http(s) URL)')
    .usage('[options] <document>  |  check --explain <code>')
    .option('--workflow <id>', 'pre-flight only this workflow (validation covers the whole document)')
    .option('--ignore <stepId:code>', 'silence one pre-flight finding code for one step (repeatable)', collect, [])
    .option('--explain <code>', 'why a pre-flight rule exists and how to silence it for one step')
    .option(
      '--allow-remote',
      'read remote source descriptions and $refs of a local document (a URL document always may)',
      false,
    )
    .option('--strict', 'strict Arazzo templates: only {$...} inside strings is an expression', false)
    .option('--json', 'machine-readable output', false)
    .addHelpText('after', '\nExit codes: 0 no errors (warnings allowed), 1 errors found, 2 usage error.')
    .action(async (document: string | undefined, o: CheckFlags, command: Command) => {
      if (o.explain !== undefined) {
        const { explainCode, PREFLIGHT_EXPLANATIONS } = await import('../../arazzo/preflight/index.js');
        const text = explainCode(o.explain);
        if (!text) {
          throw new UsageError(
            `--explain ${o.explain}: not a pre-flight code`,
            `codes: ${Object.keys(PREFLIGHT_EXPLANATIONS).join(', ')}`,
          );
        }
        out(text);
        return;
      }
      if (document === undefined) {
        command.error("error: missing required argument 'document'", { code: 'commander.missingArgument' });
      }
      const { findings, validatedAgainst } = await checkReport(document, o);
      const errors = findings.filter((f) => f.severity === 'error').length;
      const hints = findings.filter((f) => f.severity === 'hint').length;
      const warnings = findings.length - errors - hints;
      if (o.json)
        printJson({
          ok: errors === 0,
          document,
          validatedAgainst: validatedAgainst ?? null,
          findings,
          errors,
          warnings,
          hints,
        });
      else {
        const { formatFindings } = await import('../../arazzo/format-finding.js');
        if (findings.length) out(formatFindings(findings));
        if (validatedAgainst) out(describeSchemaChoice(validatedAgainst));
        const counted = `${plural(errors, 'error')}, ${plural(warnings, 'warning')}${hints ? `, ${plural(hints, 'hint')}` : ''}`;
        out(`${errors ? '✘' : '✔'} ${document}: ${counted}`);
      }
      process.exitCode = errors ? EXIT.failure : EXIT.ok;
    });
}

export async function checkDocument(
  document: string,
  o: Pick<CheckFlags, 'workflow' | 'strict'> & { ignore?: string[]; allowRemote?: boolean } = { strict: false },
): Promise<Finding[]> {
  return (await checkReport(document, o)).findings;
}

/** The line `check` prints about the schema: which Arazzo version the document was judged as. */
export function describeSchemaChoice(choice: SchemaChoice): string {
  return `validated against Arazzo ${choice.version} (schema ${choice.schemaId})`;
}

/**
 * The findings, and the Arazzo version and schema the document was validated against (none when it
 * could not be parsed or names a version this engine does not run).
 */
export async function checkReport(
  document: string,
  o: Pick<CheckFlags, 'workflow' | 'strict'> & { ignore?: string[]; allowRemote?: boolean } = { strict: false },
): Promise<{ findings: Finding[]; validatedAgainst?: SchemaChoice }> {
  // Loaded on use, like every command's heavy dependencies (see program.ts).
  const [{ loadFromDisk }, { validateDocumentSet, schemaFor }, { preflight }, { hasUnsupportedArazzoVersion }] =
    await Promise.all([
      import('../read-document.js'),
      import('../../arazzo/validate/index.js'),
      import('../../arazzo/preflight/index.js'),
      import('../../arazzo/document/arazzo-version.js'),
    ]);
  const set = await loadFromDisk(document, { allowRemote: o.allowRemote === true || /^https?:\/\//i.test(document) });
  const findings = validateDocumentSet(set, { strict: o.strict });
  const judged = set.entry.document !== undefined && !hasUnsupportedArazzoVersion(set.entry.document);
  if (judged) findings.push(...preflight(set, { workflowId: o.workflow, ignore: o.ignore }));
  return {
    findings: dedupe(findings).map((f) => ({ ...f, file: displayPath(f.file) })),
    validatedAgainst: judged ? schemaFor(set.entry.document) : undefined,
  };
}

function dedupe(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const key = `${f.file}\0${f.line}\0${f.column}\0${f.code}\0${f.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
