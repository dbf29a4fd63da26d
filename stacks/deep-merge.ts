import { isPlainObject } from "../constructs/checks";

/**
 * Merges plain objects recursively, later arguments winning. Lists and scalars are replaced
 * whole; a `null` in a later argument removes the key (how an override file unsets a setting).
 */
export function deepMerge<T>(...layers: ReadonlyArray<T | undefined>): T {
  let result: unknown = {};
  for (const layer of layers) {
    if (layer !== undefined) result = mergeTwo(result, layer);
  }
  return result as T;
}

function mergeTwo(base: unknown, override: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(override)) return override;
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(override)) {
    if (value === null) delete merged[key];
    else if (value !== undefined) merged[key] = mergeTwo(merged[key], value);
  }
  return merged;
}
