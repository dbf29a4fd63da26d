/**
 * The project's one merge: layers of plain objects, later layers winning, lists and scalars
 * replaced whole, with the source of every value. Settings merge their layers with it, and
 * defaults (a preset's, a construct's) are the first layer below what was given.
 */
import { isPlainObject } from "./checks";

/** One layer of settings and where it comes from ("the prod preset", "overrides.json:12"...). */
export interface Layer {
  readonly source: string;
  readonly value: unknown;
  /** A finer source for a dotted path within the layer, e.g. its line in a file. */
  readonly sourceOf?: (path: string) => string | undefined;
}

export interface Merged<T> {
  readonly value: T;
  /** Which layer last set each dotted path (leaves, and groups a layer removed with null). */
  readonly sources: ReadonlyMap<string, string>;
}

/** Sets an own property, so that the key "__proto__" stays data rather than change the prototype. */
export function defineKey(target: Record<string, unknown>, key: string, value: unknown): void {
  // Plain assignment for every other key: an order of magnitude faster than defineProperty.
  if (key === "__proto__") {
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    target[key] = value;
  }
}

/**
 * Merges layers of plain objects recursively, later layers winning. Lists and scalars are
 * replaced whole; a `null` removes the key (how an override file unsets a setting). Records which
 * layer set every leaf.
 */
export function mergeLayers<T>(layers: readonly Layer[]): Merged<T> {
  const sources = new Map<string, string>();
  let value: unknown = {};
  for (const layer of layers) {
    if (layer.value !== undefined) value = mergeTwo(value, layer.value, "", layer, sources);
  }
  return { value: value as T, sources };
}

function mergeTwo(
  base: unknown,
  override: unknown,
  path: string,
  layer: Layer,
  sources: Map<string, string>,
): unknown {
  if (!isPlainObject(override)) {
    if (path !== "") sources.set(path, layer.sourceOf?.(path) ?? layer.source);
    return override;
  }
  const merged: Record<string, unknown> = {};
  if (isPlainObject(base)) for (const [key, v] of Object.entries(base)) defineKey(merged, key, v);
  for (const [key, v] of Object.entries(override)) {
    const childPath = path === "" ? key : `${path}.${key}`;
    if (v === null) {
      delete merged[key];
      sources.set(childPath, layer.sourceOf?.(childPath) ?? layer.source);
    } else if (v !== undefined) {
      defineKey(merged, key, mergeTwo(merged[key], v, childPath, layer, sources));
    }
  }
  return merged;
}

/** Merges plain objects recursively, later arguments winning (see `mergeLayers`). */
export function deepMerge<T>(...values: ReadonlyArray<unknown>): T {
  return mergeLayers<T>(values.map((value) => ({ source: "", value }))).value;
}

/** The source of a path: its own, else its nearest ancestor's, else those of the values below it. */
export function sourceOf(sources: ReadonlyMap<string, string>, path: string): string | undefined {
  const own = sources.get(path);
  if (own !== undefined) return own;
  const parts = path.split(".");
  for (let i = parts.length - 1; i > 0; i--) {
    const ancestor = sources.get(parts.slice(0, i).join("."));
    if (ancestor !== undefined) return ancestor;
  }
  const below = [...new Set([...sources].filter(([p]) => p.startsWith(`${path}.`)).map(([, s]) => s))];
  return below.length > 0 ? below.join(", ") : undefined;
}
