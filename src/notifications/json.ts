// Small readers for untyped JSON: notification bodies are checked field by field, never cast.

export type JsonObject = Record<string, unknown>;

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The value at a dotted path, or undefined when any step is missing or not an object. */
export function valueAt(root: unknown, path: string): unknown {
  let current: unknown = root;
  for (const step of path.split('.')) {
    if (!isJsonObject(current)) return undefined;
    current = current[step];
  }
  return current;
}

export function stringAt(root: unknown, path: string): string | undefined {
  const value = valueAt(root, path);
  return typeof value === 'string' ? value : undefined;
}

/** A byte count from a notification, when it is a usable one. */
export function sizeAt(root: unknown, path: string): number | undefined {
  const value = valueAt(root, path);
  return Number.isSafeInteger(value) && (value as number) >= 0 ? (value as number) : undefined;
}
