/**
 * cdktf turns a stack into Terraform JSON by resolving every value twice (a preparing pass that
 * finds cross-stack references, then the real one). Its resolver treats each plain string,
 * number and map key like a possible token: a new context with two closures, a copy of the
 * options, the path joined into a string for error messages, and four regular expressions.
 * Plain values are most of a stack: skipping that work makes a synth about a third faster.
 *
 * This is cdktf 0.21.0's resolve() (cdktf/lib/tokens/private/resolve.js, MPL-2.0) with the same
 * results, installed in its place:
 * - a string that holds no "TfToken[" and nothing shaped like an encoded number, a number that
 *   is no token, a boolean, null or undefined is returned as it is, as the original returns it,
 *   without building a context for it;
 * - the path string is built only for an error message;
 * - an object's keys are scanned for map tokens once, not twice.
 * Everything else (tokens, lists, maps, errors) runs the original's code. It is installed only
 * over the version it was copied from (cdktf is archived; the pin cannot move silently), and
 * `SYNTH_FAST_RESOLVE=false` keeps cdktf's own, to compare. fast-resolve.test requires the
 * same bytes from npm run synth and synth:hcl both ways, and the same result or error for
 * random values with tokens.
 */
// Token's module first: it loads cdktf's token modules in the order their import cycle needs.
import { Token, Tokenization } from "cdktf/lib/tokens/token";
import { StringConcat } from "cdktf/lib/tokens/resolvable";
/* eslint-disable @typescript-eslint/no-require-imports */
// CommonJS requires, not imports: the replacement goes onto the module object cdktf calls through.
import privateResolve = require("cdktf/lib/tokens/private/resolve");
import encoding = require("cdktf/lib/tokens/private/encoding");
import tokenMap = require("cdktf/lib/tokens/private/token-map");
import errors = require("cdktf/lib/errors");
import cdktfPackage = require("cdktf/package.json");
/* eslint-enable @typescript-eslint/no-require-imports */
import type { IPostProcessor, IResolveContext } from "cdktf/lib/tokens/resolvable";

/** The cdktf version this file's resolve() was copied from. */
export const COPIED_FROM_CDKTF = "0.21.0";

type ResolveOptions = privateResolve.IResolveOptions;
const TOKENS = tokenMap.TokenMap.instance();
/** cdktf's number-token pattern (encoding.js), without the global flag it resets before each test. */
const ENCODED_NUMBER = /[-|\d|.+]+(e[-|\d|.|e|E|+]+)/;
/** Every string, list and map token marker ends in this; a string without it holds no token. */
const TOKEN_MARK = "TfToken[";

/** A string the original resolve returns unchanged (the map token values hold no marker: it throws). */
const isPlainString = (s: string): boolean =>
  !s.includes(TOKEN_MARK) &&
  !ENCODED_NUMBER.test(s) &&
  s !== Token.STRING_MAP_TOKEN_VALUE &&
  s !== Token.ANY_MAP_TOKEN_VALUE;

/** A value the original resolve returns as it is: a plain string, a non-token number, a boolean. */
function isPlainLeaf(value: unknown): boolean {
  switch (typeof value) {
    case "string":
      return isPlainString(value);
    case "number":
      return value !== Token.NUMBER_MAP_TOKEN_VALUE && TOKENS.lookupNumberToken(value) === undefined;
    case "boolean":
      return true;
    default:
      return false;
  }
}

/** Why a copy: the original calls itself directly, so only a whole copy changes its recursion. */
export function resolve(obj: unknown, options: ResolveOptions): unknown {
  const prefix = options.prefix ?? [];
  if (prefix.length > 200) throw errors.unableToResolveCircularReference(pathOf(prefix));
  if (obj === undefined) return undefined;
  if (obj === null) return null;
  if (typeof obj === "function") throw errors.cannotResolveFunction(pathOf(prefix), obj);
  if (typeof obj === "string") return resolveString(obj, options);
  if (typeof obj === "number") return resolveNumber(obj, options);
  if (typeof obj !== "object" || obj instanceof Date) return obj;
  if (Array.isArray(obj)) return resolveArray(obj as unknown[], options);
  return resolveObject(obj, options);
}

/** The path for an error message: built only when one is thrown. */
const pathOf = (prefix: readonly string[]) => "/" + prefix.join("/");

/** The original's context for a child at prefix + appendPath (or at the same path), and its post-processor. */
function makeContext(options: ResolveOptions, appendPath?: string): [IResolveContext, IPostProcessor] {
  const newPrefix = appendPath !== undefined ? (options.prefix ?? []).concat([appendPath]) : options.prefix;
  let postProcessor: IPostProcessor | undefined;
  const context: IResolveContext = {
    preparing: options.preparing,
    scope: options.scope,
    suppressBraces: options.previousContext?.suppressBraces,
    ignoreEscapes: options.previousContext?.ignoreEscapes,
    warnEscapes: options.previousContext?.warnEscapes,
    iteratorContext: options.previousContext?.iteratorContext,
    registerPostProcessor(pp) {
      postProcessor = pp;
    },
    resolve(x) {
      return resolve(x, { ...options, prefix: newPrefix, previousContext: context });
    },
  };
  return [
    context,
    { postProcess: (x: unknown) => (postProcessor ? (postProcessor.postProcess(x, context) as unknown) : x) },
  ];
}

/** A child at prefix + key; a plain leaf comes back as it is, within the original's depth limit. */
function resolveChild(value: unknown, key: string, options: ResolveOptions): unknown {
  if (value === undefined) return undefined;
  if ((options.prefix ?? []).length < 200 && (value === null || isPlainLeaf(value))) return value;
  return makeContext(options, key)[0].resolve(value);
}

function resolveString(obj: string, options: ResolveOptions): unknown {
  if (isPlainString(obj)) return obj;
  if (encoding.TokenString.forListToken(obj).test()) throw errors.encodedListTokenInScalarStringContext();
  if (obj === Token.STRING_MAP_TOKEN_VALUE || obj === Token.ANY_MAP_TOKEN_VALUE) {
    throw errors.encodedMapTokenInScalarStringContext();
  }
  let str: unknown = obj;
  const context = makeContext(options)[0];
  const tokenStr = encoding.TokenString.forString(obj, !context.ignoreEscapes, context.warnEscapes);
  if (tokenStr.test()) {
    const fragments = tokenStr.split(TOKENS.lookupToken.bind(TOKENS));
    str = options.resolver.resolveString(fragments, makeContext(options)[0]) as unknown;
  }
  // As the original: a string token may resolve to a non-string, which is then tested as a string.
  const tokenNumberStr = encoding.TokenString.forNumbers(str as string);
  if (tokenNumberStr.test()) {
    const fragments = tokenNumberStr.split((id) => TOKENS.lookupNumberToken(parseFloat(id)));
    str = fragments.mapTokens(makeContext(options)[0]).join(new StringConcat()) as unknown;
  }
  return str;
}

function resolveNumber(obj: number, options: ResolveOptions): unknown {
  if (obj === Token.NUMBER_MAP_TOKEN_VALUE) throw errors.encodedMapTokenInScalarNumberContext();
  const token = TOKENS.lookupNumberToken(obj);
  return token === undefined ? obj : makeContext(options)[0].resolve(token);
}

function resolveArray(obj: unknown[], options: ResolveOptions): unknown {
  if (encoding.containsStringListTokenElement(obj)) {
    return options.resolver.resolveList(obj as string[], makeContext(options)[0]);
  }
  if (encoding.containsNumberListTokenElement(obj)) {
    return options.resolver.resolveNumberList(obj as number[], makeContext(options)[0]);
  }
  return obj.map((x, i) => resolveChild(x, `${i}`, options)).filter((x) => typeof x !== "undefined");
}

function resolveObject(obj: object, options: ResolveOptions): unknown {
  const keys = Object.keys(obj);
  if (keys.some((key) => key.includes(TOKEN_MARK)) && encoding.containsMapToken(obj)) {
    return options.resolver.resolveMap(obj, makeContext(options)[0]);
  }
  // What encoding.unresolved() adds for an object once containsMapToken() said no.
  if (Tokenization.isResolvable(obj)) {
    const [context, postProcessor] = makeContext(options);
    return options.resolver.resolveToken(obj, context, postProcessor);
  }
  if (isConstruct(obj)) throw errors.constructsCannotBeResolved(pathOf(options.prefix ?? []));
  const record = obj as Record<string, unknown>;
  const result: Record<string, unknown> = {};
  for (const key of keys) {
    const resolvedKey = isPlainString(key) ? key : (makeContext(options)[0].resolve(key) as unknown);
    if (typeof resolvedKey !== "string") {
      throw errors.mapKeyMustResolveToString(pathOf(options.prefix ?? []), key, resolvedKey);
    }
    const value = resolveChild(record[key], key, options);
    if (typeof value === "undefined") continue;
    result[resolvedKey] = value;
  }
  return result;
}

/** cdktf's test: not in its construct module, to avoid a cycle. */
function isConstruct(x: object): boolean {
  const fields = x as { _children?: unknown; _metadata?: unknown };
  return fields._children !== undefined && fields._metadata !== undefined;
}

/** Installs resolve() in cdktf's place, unless switched off or cdktf is not the version copied. */
export function useFastResolve(env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.SYNTH_FAST_RESOLVE === "false" || cdktfPackage.version !== COPIED_FROM_CDKTF) return false;
  (privateResolve as { resolve: typeof resolve }).resolve = resolve;
  return true;
}
