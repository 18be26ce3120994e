import { ParameterError } from "../../model/parameterError";

/**
 * The text form of the results cache: JSON, canonical (object keys sorted, Map entries sorted by key), and
 * faithful for every value it accepts, so that equal values give equal text (one cache key) and unequal
 * values give different text. Written by hand because JSON.stringify is lossy here (NaN becomes null, a Map
 * becomes {}, a Float64Array becomes {"0": ...}, undefined in an array becomes null) and no small library
 * combines canonical key order with these types.
 *
 * Values JSON cannot hold are written as an object with one key starting with "$":
 *   {"$number": "NaN" | "Infinity" | "-Infinity" | "-0"}   a number JSON cannot write
 *   {"$Map": [[key, value], ...]}                          a Map (keys: string, number, boolean or null)
 *   {"$Float64Array": [...]} (and the other typed arrays)   a typed array of numbers
 *   {"$object": {...}}                                     a plain object with a key starting with "$"
 * so no plain object is ever mistaken for one of these.
 */

const ALLOWED =
  "a value the results cache encodes faithfully: null, a boolean, a number (NaN, Infinity and -0 included), a string, " +
  "an array without holes or undefined elements, a plain object, a Map with string, number, boolean or null keys, " +
  "or a typed array of numbers (Float64Array, Int32Array, ...)";

type NumberArrayConstructor =
  | Float64ArrayConstructor
  | Float32ArrayConstructor
  | Int32ArrayConstructor
  | Uint32ArrayConstructor
  | Int16ArrayConstructor
  | Uint16ArrayConstructor
  | Int8ArrayConstructor
  | Uint8ArrayConstructor
  | Uint8ClampedArrayConstructor;

const TYPED_ARRAYS: ReadonlyMap<string, NumberArrayConstructor> = new Map<string, NumberArrayConstructor>([
  ["Float64Array", Float64Array],
  ["Float32Array", Float32Array],
  ["Int32Array", Int32Array],
  ["Uint32Array", Uint32Array],
  ["Int16Array", Int16Array],
  ["Uint16Array", Uint16Array],
  ["Int8Array", Int8Array],
  ["Uint8Array", Uint8Array],
  ["Uint8ClampedArray", Uint8ClampedArray],
]);

function refuse(path: string, what: unknown, note: string): never {
  throw new ParameterError(path, what, ALLOWED, note);
}

function encodeNumber(n: number): string {
  if (Number.isNaN(n)) return '{"$number":"NaN"}';
  if (n === Infinity) return '{"$number":"Infinity"}';
  if (n === -Infinity) return '{"$number":"-Infinity"}';
  if (Object.is(n, -0)) return '{"$number":"-0"}';
  return String(n); // the shortest text that reads back as the same double (as JSON.stringify writes it)
}

/** True when every element is a finite number other than -0: JSON writes these exactly. */
function plainNumbers(values: ArrayLike<unknown>): boolean {
  for (let i = 0; i < values.length; i++) {
    const x = values[i];
    if (typeof x !== "number" || !Number.isFinite(x) || (x === 0 && 1 / x < 0)) return false;
  }
  return true;
}

/** What a refused object is, in words, and how to pass it instead. */
function describe(value: object): [string, string] {
  if (value instanceof Set) return ["[Set]", "pass a sorted array instead"];
  if (value instanceof Date) return ["[Date]", "pass date.toISOString() or a time in milliseconds instead"];
  if (value instanceof Map) return ["[Map subclass]", "pass a plain Map"];
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) {
    return [`[${value.constructor.name}]`, "copy the data into a Float64Array or Int32Array"];
  }
  if (Array.isArray(value)) return ["[Array subclass]", "pass a plain array"];
  const name = (value as { constructor?: { name?: unknown } }).constructor?.name;
  return [`[${typeof name === "string" && name !== "" ? name : "object"} instance]`, "pass a plain object with its fields instead"];
}

function encode(value: unknown, path: string, ancestors: Set<object>, out: string[]): void {
  switch (typeof value) {
    case "string":
      out.push(JSON.stringify(value));
      return;
    case "number":
      out.push(encodeNumber(value));
      return;
    case "boolean":
      out.push(value ? "true" : "false");
      return;
    case "undefined":
      refuse(path, undefined, "undefined is kept only as a missing object member; give an explicit value");
    case "bigint":
      refuse(path, `${value}n`, "pass a number or a decimal string instead of a BigInt");
    case "symbol":
      refuse(path, String(value), "a symbol cannot be cached");
    case "function":
      refuse(path, "[function]", "a function cannot be cached");
  }
  if (value === null) {
    out.push("null");
    return;
  }
  const object = value as object;
  if (ancestors.has(object)) refuse(path, "[cycle]", "the value contains itself");
  ancestors.add(object);
  const proto: unknown = Object.getPrototypeOf(object);
  if (proto === Array.prototype) {
    const array = object as unknown[];
    if (plainNumbers(array)) {
      out.push(JSON.stringify(array)); // native, and the same text as the loop below
      ancestors.delete(object);
      return;
    }
    out.push("[");
    for (let i = 0; i < array.length; i++) {
      if (i > 0) out.push(",");
      if (!(i in array)) refuse(`${path}[${i}]`, "[hole]", "a sparse array loses its holes");
      encode(array[i], `${path}[${i}]`, ancestors, out);
    }
    out.push("]");
  } else if (proto === Object.prototype || proto === null) {
    if (Object.getOwnPropertySymbols(object).length > 0) refuse(path, "[object with symbol keys]", "symbol keys are not kept");
    const record = object as Record<string, unknown>;
    const keys = Object.keys(record).filter((k) => record[k] !== undefined).sort();
    const escaped = keys.some((k) => k.startsWith("$"));
    out.push(escaped ? '{"$object":{' : "{");
    keys.forEach((k, i) => {
      if (i > 0) out.push(",");
      out.push(JSON.stringify(k), ":");
      encode(record[k], `${path}.${k}`, ancestors, out);
    });
    out.push(escaped ? "}}" : "}");
  } else if (proto === Map.prototype) {
    const entries: [string, string][] = [];
    for (const [k, v] of object as Map<unknown, unknown>) {
      if (k !== null && typeof k !== "string" && typeof k !== "number" && typeof k !== "boolean") {
        refuse(`${path} key`, typeof k === "object" ? describe(k)[0] : String(k), "Map keys must be strings, numbers, booleans or null (object keys are compared by identity)");
      }
      const keyText: string[] = [];
      encode(k, `${path} key`, ancestors, keyText);
      const valueText: string[] = [];
      encode(v, `${path}.get(${keyText.join("")})`, ancestors, valueText);
      entries.push([keyText.join(""), valueText.join("")]);
    }
    entries.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    out.push('{"$Map":[', entries.map(([k, v]) => `[${k},${v}]`).join(","), "]}");
  } else if (ArrayBuffer.isView(object) && TYPED_ARRAYS.get(object.constructor.name) === object.constructor && proto === object.constructor.prototype) {
    const typed = object as Float64Array;
    let text: string;
    if (plainNumbers(typed)) {
      text = typed.join(","); // Number to string as JSON writes it, natively
    } else {
      const parts = new Array<string>(typed.length);
      for (let i = 0; i < typed.length; i++) parts[i] = encodeNumber(typed[i] as number);
      text = parts.join(",");
    }
    out.push(`{"$${object.constructor.name}":[`, text, "]}");
  } else {
    const [what, note] = describe(object);
    refuse(path, what, note);
  }
  ancestors.delete(object);
}

/**
 * Canonical, faithful JSON text of a value, for cache keys and cache files: object keys sorted, Map entries
 * sorted by key, and NaN, the infinities, -0, Maps and typed arrays written as tagged objects (see the top of
 * this file) that `parseCacheJson` turns back into the same values. Object members that are undefined
 * are left out, and so are named properties of an array (as JSON does); what JSON cannot write faithfully
 * (a Set, a Date, a BigInt, a symbol, a function, a class instance, undefined or a hole in an array, a cycle,
 * BigInt64Array, ArrayBuffer, DataView) is refused. Object key order and Map insertion order are not kept:
 * equal contents give equal text. Shared (non-cyclic) references are written once per use and read back as
 * copies. Cost O(size of the value), plus a sort per object and per Map.
 *
 * @param value the value to write
 * @param name the name used in errors (default "value"), for example "params"
 * @throws ParameterError naming the path of the first value it cannot write faithfully (for example
 *   `params.grid[2] = undefined is out of range: ...`)
 * @example
 * canonicalJson({ b: 1, a: [NaN, -0] }) // => '{"a":[{"$number":"NaN"},{"$number":"-0"}],"b":1}'
 * canonicalJson(new Map([["y", 2], ["x", 1]])) // => '{"$Map":[["x",1],["y",2]]}'
 */
export function canonicalJson(value: unknown, name = "value"): string {
  const out: string[] = [];
  encode(value, name, new Set<object>(), out);
  return out.join("");
}

function malformed(why: string): never {
  throw new SyntaxError(`not cache text written by canonicalJson: ${why}`);
}

function decode(value: unknown): unknown {
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map(decode);
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  if (!keys.some((k) => k.startsWith("$"))) return decodeMembers(record);
  if (keys.length !== 1) malformed(`an object mixes a "$" key with others (${keys.slice(0, 3).join(", ")})`);
  const tag = keys[0] as string;
  const payload = record[tag];
  if (tag === "$number") {
    if (payload === "NaN" || payload === "Infinity" || payload === "-Infinity") return Number(payload);
    if (payload === "-0") return -0;
    return malformed(`$number ${JSON.stringify(payload)}`);
  }
  if (tag === "$object") {
    if (payload === null || typeof payload !== "object" || Array.isArray(payload)) malformed("$object without an object");
    return decodeMembers(payload as Record<string, unknown>);
  }
  if (!Array.isArray(payload)) return malformed(`${tag} without an array`);
  if (tag === "$Map") {
    const map = new Map<unknown, unknown>();
    for (const pair of payload) {
      if (!Array.isArray(pair) || pair.length !== 2) malformed("a $Map entry that is not a [key, value] pair");
      const key = decode(pair[0]);
      if (key !== null && typeof key === "object") malformed("a $Map key that is an object");
      map.set(key, decode(pair[1]));
    }
    return map;
  }
  const constructor = TYPED_ARRAYS.get(tag.slice(1));
  if (constructor === undefined) return malformed(`unknown tag ${tag}`);
  const typed = new constructor(payload.length);
  payload.forEach((element, i) => {
    const x = decode(element);
    if (typeof x !== "number") malformed(`${tag} element ${i} is not a number`);
    typed[i] = x;
    if (!Object.is(typed[i], x)) malformed(`${tag} element ${i} = ${String(x)} does not fit the array's type`);
  });
  return typed;
}

function decodeMembers(record: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(record)) {
    // defineProperty: a member named "__proto__" stays a member instead of replacing the prototype
    if (k === "__proto__") Object.defineProperty(out, k, { value: decode(record[k]), enumerable: true, writable: true, configurable: true });
    else out[k] = decode(record[k]);
  }
  return out;
}

/**
 * Parses text written by {@link canonicalJson}, restoring NaN, the infinities, -0, Maps and typed arrays.
 * Cost O(length of the text).
 *
 * @param text the text
 * @throws SyntaxError when the text is not JSON, or uses a "$" tag that canonicalJson never writes
 * @example
 * const value = parseCacheJson('{"d":{"$number":"Infinity"},"m":{"$Map":[[1,"a"]]}}') as { d: number; m: Map<number, string> };
 * value.d; // => Infinity
 * [...value.m] // => [[1, "a"]]
 */
export function parseCacheJson(text: string): unknown {
  return decode(JSON.parse(text));
}
