import { inspect } from "node:util";
import { Token } from "cdktf";

/**
 * A rule for one value: a predicate plus a human sentence saying what is allowed.
 * Constructs and the settings validator share these, so error messages and the README's
 * configuration reference always say the same thing.
 */
export interface Check {
  /** What is allowed, phrased to follow "allowed: " in an error message. */
  readonly allowed: string;
  /** True when the value is acceptable. */
  readonly test: (value: unknown) => boolean;
}

export function check(allowed: string, test: (value: unknown) => boolean): Check {
  return { allowed, test };
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export const booleanValue: Check = check("true or false", (v) => typeof v === "boolean");

export function integerIn(min: number, max: number, unit = ""): Check {
  const suffix = unit ? ` ${unit}` : "";
  return check(
    `an integer from ${min} to ${max}${suffix}`,
    (v) => typeof v === "number" && Number.isInteger(v) && v >= min && v <= max,
  );
}

export function oneOf<T extends string | number>(values: readonly T[]): Check {
  return check(`one of ${values.map((v) => describeValue(v)).join(", ")}`, (v) => values.includes(v as T));
}

export function matches(pattern: RegExp, allowed: string, maxLength = Infinity): Check {
  return check(
    allowed,
    (v) => typeof v === "string" && v.length <= maxLength && pattern.test(v) && !Token.isUnresolved(v),
  );
}

export function optional(inner: Check): Check {
  return check(`${inner.allowed} (or unset)`, (v) => v === undefined || inner.test(v));
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
  return check(allowed, (v) => {
    if (!Array.isArray(v) || v.length < min || v.length > max) return false;
    if (unique && new Set(v).size !== v.length) return false;
    return v.every((entry) => item.test(entry));
  });
}

export function mapOf(key: Check, value: Check): Check {
  return check(`an object whose keys are ${key.allowed} and whose values are ${value.allowed}`, (v) => {
    if (!isPlainObject(v)) return false;
    return Object.entries(v).every(([k, val]) => key.test(k) && value.test(val));
  });
}

/** Renders a received value for an error message (never throws, never huge). */
export function describeValue(value: unknown): string {
  if (typeof value === "string" && Token.isUnresolved(value)) return "an unresolved token";
  const text = inspect(value, { breakLength: Infinity, depth: 4, maxArrayLength: 10, maxStringLength: 120 });
  return text.length > 200 ? `${text.slice(0, 197)}...` : text;
}

/** A problem with one value: which field, what it was, what is allowed. */
export interface Problem {
  readonly field: string;
  readonly value: unknown;
  readonly allowed: string;
}

/** The problem line of a structured problem. */
export function formatProblem(p: Problem): string {
  return problem(p.field, p.value, p.allowed);
}

/** One problem line: `<field>: got <value>; allowed: <allowed>`. */
export function problem(field: string, value: unknown, allowed: string): string {
  return `${field}: got ${describeValue(value)}; allowed: ${allowed}`;
}

/** Runs a check and returns its problem line, or undefined when the value passes. */
export function checkField(field: string, value: unknown, rule: Check): string | undefined {
  return rule.test(value) ? undefined : problem(field, value, rule.allowed);
}
