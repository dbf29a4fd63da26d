/**
 * The ground floor: a check is a predicate plus the sentence that says what is allowed, and a
 * problem is one value that failed one check. Constructs and the settings schema share both, so
 * an error message and the configuration reference always say the same thing.
 */
import { inspect } from "node:util";
import { Token } from "cdktf";

/** A fragment of JSON Schema describing what a check allows, for editors (best effort). */
export type JsonSchema = Readonly<Record<string, unknown>>;

export interface Check {
  /** What is allowed, phrased to follow "allowed: " in an error message. */
  readonly allowed: string;
  /** True when the value is acceptable. */
  readonly test: (value: unknown) => boolean;
  /** The same rule for JSON Schema, as far as JSON Schema can say it. */
  readonly schema?: JsonSchema;
  /**
   * For a list or map that fails only in some entries: those entries, so a message names
   * `tags["aws:team"]` or `availabilityZones[1]` rather than the whole value.
   */
  readonly entries?: (value: unknown) => readonly FailedEntry[];
}

/** An entry of a list or map that fails, relative to the value: `[1]`, `.team`, `["a.b"]`. */
export interface FailedEntry {
  readonly at: string;
  readonly value: unknown;
  readonly allowed: string;
}

export function check(
  allowed: string,
  test: (value: unknown) => boolean,
  schema?: JsonSchema,
  entries?: Check["entries"],
): Check {
  return { allowed, test, schema, entries };
}

/** How a message names a map key or list index below a field. */
export function entryPath(key: string | number): string {
  if (typeof key === "number") return `[${key}]`;
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) && key !== "__proto__" ? `.${key}` : `[${JSON.stringify(key)}]`;
}

/** A problem's field as a plain dotted path, list indexes dropped: `tags["a.b"]` → `tags.a.b`. */
export function dottedPath(field: string): string {
  return field
    .replace(/\[\d+\]/g, "")
    .replace(/\[("(?:[^"\\]|\\.)*")\]/g, (_, key: string) => `.${JSON.parse(key) as string}`);
}

/** The problems of a value against a check: none, its failing entries, or the whole value. */
export function problemsOf(field: string, value: unknown, rule: Check): Problem[] {
  if (rule.test(value)) return [];
  const entries = rule.entries?.(value) ?? [];
  if (entries.length === 0) return [{ field, value, allowed: rule.allowed }];
  return entries.map((e) => ({ field: `${field}${e.at}`, value: e.value, allowed: e.allowed }));
}

/** `problemsOf` relative to the value, for a container check's own entries. */
function failedEntries(at: string, value: unknown, rule: Check): FailedEntry[] {
  return problemsOf(at, value, rule).map((p) => ({ at: p.field, value: p.value, allowed: p.allowed }));
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The value at a dotted path ("network.vpcCidr"), or undefined when any step is missing. */
export function getPath(root: unknown, path: string): unknown {
  let node = root;
  for (const key of path.split(".")) {
    if (!isPlainObject(node) || !Object.prototype.hasOwnProperty.call(node, key)) return undefined;
    node = node[key];
  }
  return node;
}

export const booleanValue: Check = check("true or false", (v) => typeof v === "boolean", { type: "boolean" });
export const stringValue: Check = check("a string", (v) => typeof v === "string", { type: "string" });

export function integerIn(min: number, max: number, unit = ""): Check {
  const suffix = unit ? ` ${unit}` : "";
  return check(
    `an integer from ${min} to ${max}${suffix}`,
    (v) => typeof v === "number" && Number.isInteger(v) && v >= min && v <= max,
    { type: "integer", minimum: min, maximum: max },
  );
}

export function oneOf<T extends string | number>(values: readonly T[]): Check {
  return check(`one of ${values.map((v) => describeValue(v)).join(", ")}`, (v) => values.includes(v as T), {
    enum: [...values],
  });
}

/** A literal string (not a token) of at most `maxLength` characters matching `pattern`. */
export function matches(pattern: RegExp, allowed: string, maxLength = Infinity): Check {
  return check(
    allowed,
    (v) => typeof v === "string" && v.length <= maxLength && pattern.test(v) && !Token.isUnresolved(v),
    {
      type: "string",
      ...(pattern.flags.includes("u") || pattern.flags.includes("i") ? {} : { pattern: pattern.source }),
      ...(maxLength === Infinity ? {} : { maxLength }),
    },
  );
}

export function optional(inner: Check): Check {
  return check(
    `${inner.allowed} (or unset)`,
    (v) => v === undefined || inner.test(v),
    inner.schema,
    inner.entries,
  );
}

/** True for a reference: a cdktf token, or a Terraform expression written out ("${aws_x.y.arn}"). */
export function isReference(value: unknown): boolean {
  return typeof value === "string" && (Token.isUnresolved(value) || /^\$\{[^}]+\}$/.test(value));
}

/** A check that also passes references, for construct props that may be wired to another resource. */
export function orToken(inner: Check): Check {
  return check(
    `${inner.allowed}, or a reference to one`,
    (v) => isReference(v) || inner.test(v),
    inner.schema,
    inner.entries,
  );
}

export function listOf(
  item: Check,
  options: { readonly min?: number; readonly max?: number; readonly unique?: boolean } = {},
): Check {
  const { min = 0, max = Infinity, unique = false } = options;
  const bounds =
    max === Infinity
      ? min === 0
        ? ""
        : `at least ${min} `
      : min === max
        ? `exactly ${min} `
        : `${min} to ${max} `;
  const allowed = `a list of ${bounds}${unique ? "distinct " : ""}items, each ${item.allowed}`;
  return check(
    allowed,
    (v) => {
      if (!Array.isArray(v) || v.length < min || v.length > max) return false;
      if (unique && new Set(v).size !== v.length) return false;
      return v.every((entry) => item.test(entry));
    },
    {
      type: "array",
      items: item.schema ?? {},
      ...(min > 0 ? { minItems: min } : {}),
      ...(max === Infinity ? {} : { maxItems: max }),
      ...(unique ? { uniqueItems: true } : {}),
    },
    (v) =>
      Array.isArray(v) && v.length >= min && v.length <= max && (!unique || new Set(v).size === v.length)
        ? v.flatMap((entry, index) => failedEntries(entryPath(index), entry, item))
        : [],
  );
}

export function mapOf(key: Check, value: Check, options: { readonly maxEntries?: number } = {}): Check {
  const { maxEntries = Infinity } = options;
  const limit = maxEntries === Infinity ? "" : ` (at most ${maxEntries} entries)`;
  return check(
    `an object whose keys are ${key.allowed} and whose values are ${value.allowed}${limit}`,
    (v) => {
      if (!isPlainObject(v)) return false;
      const entries = Object.entries(v);
      return entries.length <= maxEntries && entries.every(([k, val]) => key.test(k) && value.test(val));
    },
    {
      type: "object",
      propertyNames: key.schema ?? {},
      additionalProperties: value.schema ?? {},
      ...(maxEntries === Infinity ? {} : { maxProperties: maxEntries }),
    },
    (v) =>
      isPlainObject(v) && Object.keys(v).length <= maxEntries
        ? Object.entries(v).flatMap(([k, val]) =>
            key.test(k)
              ? failedEntries(entryPath(k), val, value)
              : [{ at: entryPath(k), value: k, allowed: `a key that is ${key.allowed}` }],
          )
        : [],
  );
}

/** Renders a received value for an error message (never throws, never huge). */
export function describeValue(value: unknown): string {
  if (typeof value === "string" && Token.isUnresolved(value)) return "an unresolved token";
  const text = inspect(value, { breakLength: Infinity, depth: 4, maxArrayLength: 10, maxStringLength: 120 });
  return text.length > 200 ? `${text.slice(0, 197)}...` : text;
}

/** One value that failed one check: where, what it was, what is allowed. */
export interface Problem {
  /** Environment name, "registry", "project", "config-file"...; unset for construct props. */
  readonly scope?: string;
  /** Dotted path of the setting or prop, e.g. "network.vpcCidr". */
  readonly field: string;
  readonly value: unknown;
  readonly allowed: string;
  /** Where the value came from, e.g. "overrides.json:12" or "the prod preset". */
  readonly source?: string;
  /** For a check across settings: the other settings it read (dotted paths). */
  readonly reads?: readonly string[];
  /** The other settings' values and where they came from, as a phrase. */
  readonly context?: string;
}

/** `[scope] field: got <value> (from <source>); allowed: <allowed>`, without the parts that are unset. */
export function formatProblem(p: Problem): string {
  const scope = p.scope === undefined ? "" : `[${p.scope}] `;
  const source = p.source === undefined ? "" : ` (from ${p.source})`;
  const context = p.context === undefined ? "" : `; given ${p.context}`;
  return `${scope}${p.field}: got ${describeValue(p.value)}${source}; allowed: ${p.allowed}${context}`;
}

/** Runs a check: the problem, or undefined when the value passes. */
export function checkField(field: string, value: unknown, rule: Check): Problem[] {
  return problemsOf(field, value, rule);
}

/** Thrown by a construct whose props are invalid: every problem at once, with the construct path. */
export class ValidationError extends Error {
  public readonly problems: readonly Problem[];

  constructor(path: string, problems: readonly Problem[]) {
    super(`${path}: invalid props:\n  - ${problems.map(formatProblem).join("\n  - ")}`);
    this.name = "ValidationError";
    this.problems = problems;
  }
}

/** Throws a ValidationError (naming the construct path) when there is any problem. */
export function throwIfProblems(path: string, results: ReadonlyArray<Problem | undefined>): void {
  const problems = results.filter((r): r is Problem => r !== undefined);
  if (problems.length > 0) throw new ValidationError(path, problems);
}
