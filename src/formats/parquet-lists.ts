// Lists written in Parquet's legacy two-level form, as parquet-mr (which Security Lake's
// samples were written with) does for lists of structs: `group x (LIST) { repeated group
// array { a; b; } }`. The Parquet format's compatibility rules read the repeated group as
// the list element; hyparquet reads it as a struct holding one list, `{"array":[...]}`.
// This puts such lists back to plain arrays, so `x` is an array of structs whichever writer
// made the file, as pyarrow (and so Wazuh's wodle) reads it.

import { type FileMetaData, type SchemaTree, parquetSchema } from 'hyparquet';

type Shape =
  | { readonly kind: 'struct'; readonly fields: ReadonlyMap<string, Shape> }
  | { readonly kind: 'list'; readonly element: Shape; readonly wrapper?: string }
  | { readonly kind: 'map'; readonly value: Shape }
  | { readonly kind: 'leaf' };

export type RowNormalizer = (row: Record<string, unknown>) => Record<string, unknown>;

/** A function that unwraps the file's legacy lists, or undefined when it has none. */
export function legacyListNormalizer(metadata: FileMetaData): RowNormalizer | undefined {
  const root = parquetSchema(metadata);
  if (!hasLegacyList(root)) return undefined;

  const shape = shapeOf(root);
  return (row) => normalize(row, shape) as Record<string, unknown>;
}

function hasLegacyList(node: SchemaTree): boolean {
  return legacyWrapper(node) !== undefined || node.children.some(hasLegacyList);
}

/** The repeated group's name when `node` is a list of structs in the two-level form. */
function legacyWrapper(node: SchemaTree): string | undefined {
  if (node.element.converted_type !== 'LIST' || node.children.length !== 1) return undefined;
  const repeated = node.children[0]!;
  const isRepeated = repeated.element.repetition_type === 'REPEATED';
  return isRepeated && repeated.children.length > 1 ? repeated.element.name : undefined;
}

function shapeOf(node: SchemaTree): Shape {
  const wrapper = legacyWrapper(node);
  if (wrapper !== undefined) return { kind: 'list', element: structOf(node.children[0]!), wrapper };
  if (node.children.length === 0) return { kind: 'leaf' };

  const only = node.children.length === 1 ? node.children[0]! : undefined;
  if (node.element.converted_type === 'LIST' && only) {
    return { kind: 'list', element: elementOf(only) };
  }
  if (node.element.converted_type === 'MAP' && only?.children.length === 2) {
    return { kind: 'map', value: shapeOf(only.children[1]!) };
  }
  return structOf(node);
}

/** The element of a standard list: the repeated node's one child, or the node itself. */
function elementOf(repeated: SchemaTree): Shape {
  return repeated.children.length === 1 ? shapeOf(repeated.children[0]!) : shapeOf(repeated);
}

function structOf(node: SchemaTree): Shape {
  const fields = new Map(node.children.map((child) => [child.element.name, shapeOf(child)]));
  return { kind: 'struct', fields };
}

function normalize(value: unknown, shape: Shape): unknown {
  if (value === null || typeof value !== 'object' || shape.kind === 'leaf') return value;

  switch (shape.kind) {
    case 'list':
      return normalizeList(value, shape.element, shape.wrapper);
    case 'map':
      return mapValues(value as Record<string, unknown>, () => shape.value);
    case 'struct':
      return mapValues(value as Record<string, unknown>, (name) => shape.fields.get(name));
  }
}

function normalizeList(value: object, element: Shape, wrapper?: string): unknown {
  const items = wrapper !== undefined && !Array.isArray(value)
    ? (value as Record<string, unknown>)[wrapper]
    : value;
  if (!Array.isArray(items)) return items;

  for (let index = 0; index < items.length; index++) {
    items[index] = normalize(items[index], element);
  }
  return items;
}

/** Normalizes the members of an object in place: rows are fresh from hyparquet, never shared. */
function mapValues(
  object: Record<string, unknown>,
  shapeFor: (name: string) => Shape | undefined,
): Record<string, unknown> {
  if (object instanceof Date || ArrayBuffer.isView(object)) return object;

  for (const name of Object.keys(object)) {
    const shape = shapeFor(name);
    if (shape) object[name] = normalize(object[name], shape);
  }
  return object;
}
