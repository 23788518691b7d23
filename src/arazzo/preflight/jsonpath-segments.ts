// The member path of a simple JSONPath query (`$.data.status`, `$['data'][0].id`), as JSON Pointer
// segments, so a jsonpath criterion can be checked against a schema like a `#/data/status` pointer.
// Only names and indexes are followed; the path stops at the first other selector (wildcard,
// descendant, filter, slice, union) and the prefix before it is what gets checked.

export interface JsonPathMembers {
  segments: string[];
  /** Every selector was a name or an index (so the query selects at most that one value). */
  complete: boolean;
}

const NAME_START = /[A-Za-z_\u0080-\uffff]/;
const NAME_CHAR = /[A-Za-z0-9_\u0080-\uffff]/;

export function jsonPathMembers(query: string): JsonPathMembers | undefined {
  const text = query.trim();
  if (text[0] !== '$') return undefined;
  const segments: string[] = [];
  let i = 1;
  while (i < text.length) {
    if (text[i] === '.' && NAME_START.test(text[i + 1] ?? '')) {
      let end = i + 1;
      while (end < text.length && NAME_CHAR.test(text[end])) end++;
      segments.push(text.slice(i + 1, end));
      i = end;
      continue;
    }
    if (text[i] === '[') {
      const quoted = /^\[\s*(['"])((?:\\.|(?!\1).)*)\1\s*\]/.exec(text.slice(i));
      if (quoted) {
        segments.push(quoted[2].replace(/\\(.)/g, '$1'));
        i += quoted[0].length;
        continue;
      }
      const index = /^\[\s*(0|[1-9]\d*)\s*\]/.exec(text.slice(i));
      if (index) {
        segments.push(index[1]);
        i += index[0].length;
        continue;
      }
    }
    return { segments, complete: false };
  }
  return { segments, complete: true };
}

/** Segments back in JSONPath syntax (`$.data.status`, `$['a b'][0]`). */
export function formatJsonPath(segments: readonly string[]): string {
  return (
    '$' +
    segments
      .map((segment) =>
        /^(0|[1-9]\d*)$/.test(segment)
          ? `[${segment}]`
          : /^[A-Za-z_][A-Za-z0-9_]*$/.test(segment)
            ? `.${segment}`
            : `['${segment.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}']`,
      )
      .join('')
  );
}
