/**
 * Reads the override file (STACK_CONFIG_FILE) with jsonc-parser, which reports where the text is
 * wrong: syntax errors with line and column, duplicate keys (JSON.parse keeps the last silently)
 * and keys with dots (an easy mistake for a nested setting) with their line. Keys JavaScript
 * treats specially ("__proto__") stay ordinary data. Every value's line is kept, so a problem can
 * say where its value came from.
 */
import { basename } from "node:path";
import { parseTree, printParseErrorCode } from "jsonc-parser";
import type { Node, ParseError } from "jsonc-parser";
import type { Problem } from "../../constructs/model/checks";
import { defineKey } from "../../constructs/model/merge";

export interface OverrideFile {
  readonly value: Record<string, unknown>;
  /** `overrides.json:12` for a dotted path of the file, when it is there. */
  readonly sourceOf: (path: string) => string | undefined;
  readonly problems: readonly Problem[];
}

/** Line (1-based) and column (1-based) of an offset. */
function position(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split("\n").length;
  return { line, column: offset - before.lastIndexOf("\n") };
}

/** Deeper than any settings object (about 5 levels): a file beyond it is a mistake or an attack. */
export const MAX_NESTING = 32;

/** The deepest nesting of objects and arrays in JSON text, strings skipped. */
function nestingDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === "\\") i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === "{" || c === "[") deepest = Math.max(deepest, ++depth);
    else if (c === "}" || c === "]") depth--;
  }
  return deepest;
}

const refused = (field: string, value: unknown, allowed: string): OverrideFile => ({
  value: {},
  sourceOf: () => undefined,
  problems: [{ field, value, allowed }],
});

export function parseOverrideFile(text: string, path: string, field: string): OverrideFile {
  const label = basename(path);
  if (text.trim() === "") {
    return refused(field, path, `a JSON object of overrides; ${label} is empty (write {} for no overrides)`);
  }
  const depth = nestingDepth(text);
  if (depth > MAX_NESTING) {
    return refused(field, path, `JSON nested at most ${MAX_NESTING} levels deep; ${label} nests ${depth}`);
  }
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, {
    disallowComments: true,
    allowTrailingComma: false,
    allowEmptyContent: false,
  });
  if (errors.length > 0 || root === undefined) {
    // The first error is the cause; the parser's later ones follow from it.
    const first = errors[0];
    const what = (error: ParseError) =>
      printParseErrorCode(error.error) === "InvalidCommentToken"
        ? "a comment (JSON has none)"
        : printParseErrorCode(error.error);
    const where =
      first === undefined
        ? ""
        : (({ line, column }) => `: ${what(first)} at line ${line}, column ${column}`)(
            position(text, first.offset),
          );
    return {
      value: {},
      sourceOf: () => undefined,
      problems: [{ field, value: path, allowed: `valid JSON${where}` }],
    };
  }
  const lines = new Map<string, number>();
  const problems: Problem[] = [];
  const value = build(root, "", { text, label, lines, problems });
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return {
      value: {},
      sourceOf: () => undefined,
      problems: [
        {
          field,
          value,
          allowed: 'a JSON object keyed by environment name, e.g. {"prod": {"region": "eu-west-1"}}',
        },
      ],
    };
  }
  const sourceOf = (dotted: string) => {
    const line = lines.get(dotted);
    return line === undefined ? undefined : `${label}:${line}`;
  };
  return { value: value as Record<string, unknown>, sourceOf, problems };
}

interface Walk {
  readonly text: string;
  readonly label: string;
  readonly lines: Map<string, number>;
  readonly problems: Problem[];
}

function build(node: Node, path: string, walk: Walk): unknown {
  if (node.type === "array") {
    return (node.children ?? []).map((child, i) => build(child, `${path}[${i}]`, walk));
  }
  if (node.type !== "object") return node.value as unknown;
  const result: Record<string, unknown> = {};
  const seen = new Map<string, number>();
  for (const property of node.children ?? []) {
    const [keyNode, valueNode] = property.children ?? [];
    if (keyNode === undefined || valueNode === undefined) continue;
    const key = keyNode.value as string;
    const line = position(walk.text, keyNode.offset).line;
    const childPath = path === "" ? key : `${path}.${key}`;
    const first = seen.get(key);
    if (first !== undefined) {
      walk.problems.push({
        field: childPath,
        value: build(valueNode, childPath, walk),
        allowed: `one entry per key: ${walk.label} sets "${key}" at line ${first} and again at line ${line}`,
      });
      continue;
    }
    if (key.includes(".") && !isMapPath(path)) {
      walk.problems.push({
        field: childPath,
        value: build(valueNode, childPath, walk),
        allowed: `a key without dots (${walk.label}:${line}): nest the setting, e.g. {"service": {"cpu": 512}} for "service.cpu"`,
      });
      continue;
    }
    seen.set(key, line);
    walk.lines.set(childPath, line);
    defineKey(result, key, build(valueNode, childPath, walk));
  }
  return result;
}

/** Inside map-valued settings (tags, variables) keys are data: a tag key may contain dots. */
function isMapPath(path: string): boolean {
  return /(^|\.)(tags|environment|secrets)$/.test(path);
}
