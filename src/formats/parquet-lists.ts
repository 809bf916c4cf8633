// Lists written in Parquet's legacy two-level form, as parquet-mr (which Security Lake's
// samples were written with) does for lists of structs: `group x (LIST) { repeated group
// array { a; b; } }`. The Parquet format's compatibility rules read the repeated group as
// the list element. hyparquet reads one with several fields as a struct holding one list,
// `{"array":[{a,b}...]}`, and one with a single field (`repeated group array { name; }`,
// OCSF's `actor.user.groups`) as a list of bare values, `["admins"]`. This reads both as
// lists of structs, `[{a,b}...]` and `[{"name":"admins"}]`, whichever writer made the file,
// as pyarrow (and so Wazuh's wodle) reads them.

import { type FileMetaData, type SchemaTree, parquetSchema } from 'hyparquet';

/** How hyparquet misreads a legacy list: wrapped in `{wrapper: [...]}`, or its `field` bare. */
interface LegacyForm {
  readonly wrapper?: string;
  readonly field?: string;
}

type ListShape = { readonly kind: 'list'; readonly element: Shape } & LegacyForm;

type Shape =
  | { readonly kind: 'struct'; readonly fields: ReadonlyMap<string, Shape> }
  | ListShape
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
  return legacyForm(node) !== undefined || node.children.some(hasLegacyList);
}

/** How hyparquet reads `node` when it is a list of structs in the two-level form. */
function legacyForm(node: SchemaTree): LegacyForm | undefined {
  if (node.element.converted_type !== 'LIST' || node.children.length !== 1) return undefined;
  const repeated = node.children[0]!;
  const fields = repeated.children;
  if (repeated.element.repetition_type !== 'REPEATED' || fields.length === 0) return undefined;
  if (fields.length > 1) return { wrapper: repeated.element.name };

  // With one field the spec names the cases where the group, not the field, is the element.
  const name = repeated.element.name;
  const isElement = name === 'array' || name === `${node.element.name}_tuple`;
  return isElement ? { field: fields[0]!.element.name } : undefined;
}

function shapeOf(node: SchemaTree): Shape {
  const legacy = legacyForm(node);
  if (legacy !== undefined) {
    return { kind: 'list', element: structOf(node.children[0]!), ...legacy };
  }
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
      return normalizeList(value, shape);
    case 'map':
      return mapValues(value as Record<string, unknown>, () => shape.value);
    case 'struct':
      return mapValues(value as Record<string, unknown>, (name) => shape.fields.get(name));
  }
}

function normalizeList(value: object, shape: ListShape): unknown {
  const { element, wrapper, field } = shape;
  const items = wrapper !== undefined && !Array.isArray(value)
    ? (value as Record<string, unknown>)[wrapper]
    : value;
  if (!Array.isArray(items)) return items;

  for (let index = 0; index < items.length; index++) {
    const item = field === undefined ? items[index] : { [field]: items[index] };
    items[index] = normalize(item, element);
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
