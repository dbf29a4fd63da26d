import { Fn, Token } from "cdktf";
import { isPlainObject } from "./checks";

/**
 * `Fn.jsonencode` for values that mix literals and tokens, safe in both JSON and HCL output.
 *
 * cdktf renders `Fn.jsonencode(x)` as the expression `${jsonencode(<x as HCL>)}`. It escapes a
 * literal `${` in string values (as `$${`) but copies quotes, backslashes, control characters and
 * `%{` unescaped, which breaks the expression or turns text into a template directive. This
 * escapes those in every literal string and leaves token strings (references) alone.
 */
export function jsonencode(value: unknown): string {
  return Fn.jsonencode(escapeLiterals(value));
}

/** Escapes a literal string for an HCL quoted template, except `${`, which cdktf escapes itself. */
export function escapeHclString(text: string): string {
  return text
    .replace(/\\/g, "\\\\")
    .replace(/"/g, '\\"')
    .replace(/\n/g, "\\n")
    .replace(/\r/g, "\\r")
    .replace(/\t/g, "\\t")
    .replace(/%\{/g, "%%{");
}

function escapeLiterals(value: unknown): unknown {
  if (typeof value === "string") return Token.isUnresolved(value) ? value : escapeHclString(value);
  if (Array.isArray(value)) return value.map(escapeLiterals);
  if (isPlainObject(value)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, escapeLiterals(v)]));
  }
  return value;
}
