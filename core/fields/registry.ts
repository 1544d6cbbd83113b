// The field registry: every field is declared once, with its Wireshark name, label, type and display
// base (Wireshark's hf_register_info). Dissectors add tree items by field; the filter compiler, the
// CLI's -e, tree labels, completion and the report all read this same table.

/** Field types, as Wireshark's ftenum (epan/ftypes/ftypes.h), limited to what we dissect. */
export enum FT {
  NONE, // a label with no value (FT_NONE)
  PROTOCOL,
  BOOLEAN,
  UINT8,
  UINT16,
  UINT24,
  UINT32,
  UINT64,
  INT8,
  INT16,
  INT32,
  INT64,
  FLOAT,
  DOUBLE,
  ABSOLUTE_TIME,
  RELATIVE_TIME,
  STRING,
  BYTES,
  ETHER,
  IPv4,
  IPv6,
  FRAMENUM,
  CHAR,
}

/** Display bases (Wireshark's field_display_e). */
export enum Base {
  NONE,
  DEC,
  HEX,
  OCT,
  DEC_HEX,
  HEX_DEC,
  /** FT_ABSOLUTE_TIME: local time (ABSOLUTE_TIME_LOCAL), UTC, or seconds since the epoch. */
  TIME_LOCAL,
  TIME_UTC,
  TIME_EPOCH,
  /** FT_BYTES: no separator between bytes (Wireshark's default for most byte fields is ':'). */
  SEP_NONE,
  SEP_COLON,
}

export type ValueStrings = Readonly<Record<number, string>>;
/** true/false strings (Wireshark's true_false_string), e.g. ["Set", "Not set"]. */
export type TrueFalse = readonly [string, string];

/**
 * Field values as the tree stores them, by type (one convention for dissectors, filters and output):
 *   UINT8..UINT32, INT8..INT32, FRAMENUM, CHAR, FLOAT, DOUBLE   number
 *   UINT64, INT64                                                bigint
 *   BOOLEAN                                                      boolean
 *   IPv4                                                         number (the address as a uint32)
 *   ETHER, IPv6, BYTES                                           Uint8Array (a view into the packet)
 *   STRING                                                       string
 *   ABSOLUTE_TIME                                                bigint, nanoseconds since 1970 UTC
 *   RELATIVE_TIME                                                number of nanoseconds; a bigint beyond 2^53 (104 days)
 *   NONE, PROTOCOL                                               null (the bytes are the item's range)
 */
export type FieldValue = number | bigint | boolean | string | Uint8Array | null;

export interface FieldDef {
  /** Filter name, exactly as Wireshark's ("tcp.srcport"). */
  abbrev: string;
  /** Label, exactly as Wireshark's ("Source Port"). */
  name: string;
  type: FT;
  base?: Base;
  strings?: ValueStrings;
  tfs?: TrueFalse;
  /** Bit mask within the containing integer (0: whole value). */
  bitmask?: number;
  /**
   * Width in bits of the integer a masked field lives in, when it differs from the type's width
   * (Wireshark passes this as the "display" of FT_BOOLEAN fields, e.g. 12 for tcp.flags.*).
   */
  bitWidth?: number;
  /** Unit appended to the value in labels (" bytes", " seconds"). */
  unit?: string;
  blurb?: string;
}

export interface Field extends Readonly<FieldDef> {
  readonly id: number;
  /** The protocol this field belongs to (itself for a protocol). */
  readonly protocol: number;
  /** For protocols: the short name shown in the Protocol column ("TCP"). */
  readonly shortName?: string;
}

const byId: Field[] = [];
const byAbbrev = new Map<string, Field>();

function add(def: FieldDef, protocol: number, shortName?: string): Field {
  const existing = byAbbrev.get(def.abbrev);
  if (existing) {
    // Wireshark allows one name for several fields of the same type (e.g. two ip.dsfield layouts);
    // we keep one entry per name so -e and filters see one field.
    throw new Error(`field ${def.abbrev} registered twice`);
  }
  const id = byId.length;
  const field: Field = Object.freeze({ ...def, id, protocol: protocol < 0 ? id : protocol, shortName });
  byId.push(field);
  byAbbrev.set(def.abbrev, field);
  return field;
}

/**
 * Declares a protocol: `defineProtocol('tcp', 'Transmission Control Protocol', 'TCP')`. `type` is for
 * Wireshark's "protocols in name only" (proto_register_protocol_in_name_only), whose items carry a
 * value of that type: the TCP options are FT_BYTES, so -T fields prints their bytes ("020405b4").
 */
export function defineProtocol(filterName: string, name: string, shortName: string, type: FT = FT.PROTOCOL): Field {
  return add({ abbrev: filterName, name, type }, -1, shortName);
}

/**
 * Declares a protocol's fields at once and returns them by key:
 * `const hf = defineFields(proto, { srcport: { abbrev: 'tcp.srcport', name: 'Source Port', type: FT.UINT16, base: Base.DEC } })`.
 */
export function defineFields<T extends Record<string, FieldDef>>(protocol: Field, defs: T): { readonly [K in keyof T]: Field } {
  const out: Record<string, Field> = {};
  for (const key of Object.keys(defs)) out[key] = add(defs[key], protocol.id);
  return out as { [K in keyof T]: Field };
}

export function fieldById(id: number): Field {
  return byId[id];
}

export function fieldByName(abbrev: string): Field | undefined {
  return byAbbrev.get(abbrev);
}

export function fieldCount(): number {
  return byId.length;
}

/** Every registered field, in registration order. */
export function allFields(): readonly Field[] {
  return byId;
}

/** Width in bits of an integer type (0 for non-integers). */
export function typeBits(type: FT): number {
  switch (type) {
    case FT.UINT8: case FT.INT8: case FT.CHAR: return 8;
    case FT.UINT16: case FT.INT16: return 16;
    case FT.UINT24: return 24;
    case FT.UINT32: case FT.INT32: case FT.FRAMENUM: case FT.IPv4: return 32;
    case FT.UINT64: case FT.INT64: return 64;
    default: return 0;
  }
}

export function isInteger(type: FT): boolean {
  return type >= FT.UINT8 && type <= FT.INT64 || type === FT.FRAMENUM || type === FT.CHAR;
}
