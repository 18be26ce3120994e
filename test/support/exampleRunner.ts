/**
 * Runs the @example blocks of the package's doc comments, so that the documentation cannot drift from the code.
 *
 * An example is TypeScript. It may use the package's public names unqualified (every export of the barrel,
 * src/index.ts) and every export of the file the comment is in; it may also import, as a user would:
 * `import * as mp from "migration-penalties"` (the barrel), `import { join } from "node:path"`, or a path relative
 * to the file (`import { x } from "./x"`). Examples run in a fresh temporary folder (relative paths land there),
 * and each must state at least one outcome. A top-level statement states what it gives in a comment that starts
 * on the statement's last line or on the line right below it:
 *
 * - `// => VALUE remark`: the value of the expression, or of the last initializer of a declaration, matches
 *   VALUE, a literal:
 *   - numbers: `2.25` matches what rounds to 2.25 at the last digit written (`6.0e-7` likewise, `47` only 47);
 *     `0.4457...` what starts with those digits (its decimal expansion, truncated; a few ulps of slack);
 *   - strings in double or single quotes; `true`, `false`, `null`, `undefined`, `NaN`, `Infinity`, `-Infinity`;
 *   - arrays `[1, 2]` (a plain array) and typed arrays `Float64Array [1, 0.5]`; `...` stands for any number of
 *     elements: `[1, 2, ...]` (a prefix), `[..., 0]` (a suffix), `[1, ..., 0]` (both ends);
 *   - objects `{ mean: 2.25, ci95: [2.2, 2.3] }` with exactly those keys, or `{ mean: 2.25, ... }` with more;
 *   A literal may continue over the following comment lines while its brackets are open. After the literal, a
 *   remark may follow when it starts with a letter, `(`, `,` or `;`; it is not checked.
 *   `// => close to VALUE` compares every number within 10% (relative) instead.
 * - `// prints: LINE` (one line), or `// prints:` alone followed by comment lines (up to an empty `//` line or the
 *   end of the comment): standard output must contain these lines in this order, each matching a whole output
 *   line (spaces at either end ignored), with `...` matching any text inside a line. `// stderr:` likewise for
 *   standard error.
 * - `// throws`, `// throws ParameterError`, `// throws "fragment"` or `// throws ParameterError "fragment"`: the
 *   statement must throw (an error of that name, whose message contains the fragment); a remark may follow in
 *   parentheses.
 *
 * Any other comment is prose. A comment in one of these forms anywhere else (inside a block, or separated from
 * its statement by a blank line) is an error, so an expectation cannot be silently skipped.
 */
import ts from "typescript";

/** One @example block. */
export interface DocExample {
  readonly file: string;
  /** 1-based line of the @example tag. */
  readonly line: number;
  /** 1-based line of the file on which `code` starts. */
  readonly codeLine: number;
  readonly code: string;
}

/** Every @example block of a TypeScript source text. */
export function extractExamples(file: string, text: string): DocExample[] {
  const out: DocExample[] = [];
  for (const m of text.matchAll(/\/\*\*[\s\S]*?\*\//g)) {
    const blockStart = text.slice(0, m.index).split("\n").length;
    const lines = (m[0] as string).replace(/^\/\*\*/, "").replace(/\*\/$/, "").split("\n").map((l) => l.replace(/^\s*\* ?/, ""));
    for (let i = 0; i < lines.length; i++) {
      if (!/^@example\b/.test(lines[i] as string)) continue;
      const body: string[] = [];
      const first = (lines[i] as string).replace(/^@example\s*/, "");
      const sameLine = first.trim() !== "";
      if (sameLine) body.push(first);
      let j = i + 1;
      for (; j < lines.length && !/^@\w/.test(lines[j] as string); j++) body.push(lines[j] as string);
      while (body.length > 0 && (body[body.length - 1] as string).trim() === "") body.pop();
      out.push({ file, line: blockStart + i, codeLine: blockStart + i + (sameLine ? 0 : 1), code: body.join("\n") });
      i = j - 1;
    }
  }
  return out;
}

/** What a statement's comment asks for. `line` is the statement's first line within the example (1-based). */
export type Expectation =
  | { readonly kind: "value"; readonly text: string; readonly approximate: boolean; readonly line: number }
  | { readonly kind: "prints"; readonly stream: "stdout" | "stderr"; readonly lines: readonly string[]; readonly line: number }
  | { readonly kind: "throws"; readonly name: string | null; readonly fragment: string | null; readonly line: number };

/** A comment of the example, with its 0-based line. */
interface LineComment {
  readonly text: string;
  readonly line: number;
  readonly pos: number;
}

const EXPECTATION_COMMENT = /^\/\/\s*(=>|prints:|stderr:|throws\b)/;

function lineComments(code: string): LineComment[] {
  const sf = ts.createSourceFile("comments.ts", code, ts.ScriptTarget.ES2022, false, ts.ScriptKind.TS);
  const out: LineComment[] = [];
  // The comment ranges before and after every node of the parse tree: a scanner on its own would misread
  // regular expressions and templates.
  const seen = new Set<number>();
  const visit = (node: ts.Node): void => {
    for (const ranges of [ts.getLeadingCommentRanges(code, node.getFullStart()), ts.getTrailingCommentRanges(code, node.getEnd())]) {
      for (const r of ranges ?? []) {
        if (r.kind !== ts.SyntaxKind.SingleLineCommentTrivia || seen.has(r.pos)) continue;
        seen.add(r.pos);
        out.push({ text: code.slice(r.pos, r.end).trim(), line: sf.getLineAndCharacterOfPosition(r.pos).line, pos: r.pos });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  for (const r of ts.getLeadingCommentRanges(code, sf.endOfFileToken.getFullStart()) ?? []) {
    if (r.kind === ts.SyntaxKind.SingleLineCommentTrivia && !seen.has(r.pos)) {
      seen.add(r.pos);
      out.push({ text: code.slice(r.pos, r.end).trim(), line: sf.getLineAndCharacterOfPosition(r.pos).line, pos: r.pos });
    }
  }
  return out.sort((a, b) => a.pos - b.pos);
}

/** Whether the brackets of a literal's text are still open (outside strings). */
function openBrackets(text: string): boolean {
  let depth = 0;
  let quote: string | null = null;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (quote) {
      if (ch === "\\") i++;
      else if (ch === quote) quote = null;
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === "[" || ch === "{") depth++;
    else if (ch === "]" || ch === "}") depth--;
  }
  return depth > 0;
}

const body = (comment: string): string => comment.replace(/^\/\/\s?/, "");

/**
 * The expectation stated by the comments that follow a statement (those starting on `endLine` or the line below,
 * then contiguous), and which comments it used. Throws on a malformed expectation.
 */
function expectationAt(comments: readonly LineComment[], endLine: number, statementLine: number): { expectation: Expectation | null; used: LineComment[] } {
  const first = comments[0];
  if (first === undefined || first.line > endLine + 1 || !EXPECTATION_COMMENT.test(first.text)) return { expectation: null, used: [] };
  const used = [first];
  const following = (): LineComment | undefined => {
    const last = used[used.length - 1] as LineComment;
    const next = comments[used.length];
    return next !== undefined && next.line === last.line + 1 ? next : undefined;
  };
  let m = /^\/\/\s*(?:=>\s*)?throws\b\s*(.*)$/.exec(first.text);
  if (m) {
    const rest = (m[1] as string).trim();
    const named = /^((?:[A-Z]\w*)?Error)\b\s*/.exec(rest);
    const afterName = (named ? rest.slice(named[0].length) : rest).replace(/^:\s*/, "");
    const quoted = /^"((?:[^"\\]|\\.)*)"|^'((?:[^'\\]|\\.)*)'/.exec(afterName);
    const remark = (quoted ? afterName.slice(quoted[0].length) : afterName).trim();
    if (remark !== "" && !remark.startsWith("(")) {
      throw new Error(`line ${statementLine}: after "throws", write an error name and a "quoted" part of the message; a remark goes in parentheses: "${first.text}"`);
    }
    return {
      expectation: { kind: "throws", name: named ? (named[1] as string) : null, fragment: quoted ? ((quoted[1] ?? quoted[2]) as string) : null, line: statementLine },
      used,
    };
  }
  m = /^\/\/\s*=>\s*(.*)$/.exec(first.text);
  if (m) {
    let text = (m[1] as string).trim();
    for (let next = following(); next !== undefined && openBrackets(text); next = following()) {
      used.push(next);
      text += ` ${body(next.text).trim()}`;
    }
    const close = /^close to\s+/.exec(text);
    const literal = close ? text.slice(close[0].length) : text;
    parsePattern(literal);
    return { expectation: { kind: "value", text: literal, approximate: close !== null, line: statementLine }, used };
  }
  m = /^\/\/\s*(prints|stderr):\s*(.*)$/.exec(first.text) as RegExpExecArray;
  const lines: string[] = [];
  if ((m[2] as string).trim() !== "") lines.push((m[2] as string).trim());
  else {
    for (let next = following(); next !== undefined && body(next.text).trim() !== ""; next = following()) {
      used.push(next);
      lines.push(body(next.text).trim());
    }
  }
  if (lines.length === 0) throw new Error(`line ${statementLine}: "${first.text}" states no output line`);
  return { expectation: { kind: "prints", stream: m[1] === "stderr" ? "stderr" : "stdout", lines, line: statementLine }, used };
}

/** The example as a program: imports become requires, statements with expectations calls of __check. */
export function instrument(code: string): { program: string; declared: Set<string>; checks: number } {
  const sf = ts.createSourceFile("example.ts", code, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const syntax = (sf as unknown as { parseDiagnostics?: readonly ts.Diagnostic[] }).parseDiagnostics ?? [];
  if (syntax.length > 0) {
    const d = syntax[0] as ts.Diagnostic;
    const line = sf.getLineAndCharacterOfPosition(d.start ?? 0).line + 1;
    throw new Error(`line ${line}: ${ts.flattenDiagnosticMessageText(d.messageText, " ")}`);
  }
  const comments = lineComments(code);
  const consumed = new Set<number>();
  const declared = new Set<string>();
  const parts: string[] = [];
  let checks = 0;
  const lineOf = (pos: number): number => sf.getLineAndCharacterOfPosition(pos).line;
  sf.statements.forEach((st, k) => {
    if (ts.isImportDeclaration(st)) {
      parts.push(importAsRequire(st, declared));
      return;
    }
    if (ts.isVariableStatement(st)) {
      for (const d of st.declarationList.declarations) collectNames(d.name, declared);
    } else if ((ts.isFunctionDeclaration(st) || ts.isClassDeclaration(st) || ts.isEnumDeclaration(st)) && st.name) {
      declared.add(st.name.text);
    }
    const statementLine = lineOf(st.getStart(sf)) + 1;
    const next = sf.statements[k + 1];
    const after = comments.filter((c) => c.pos >= st.end && (next === undefined || c.pos < next.getStart(sf)));
    const { expectation, used } = expectationAt(after, lineOf(st.end), statementLine);
    for (const c of used) consumed.add(c.pos);
    const source = code.slice(st.getStart(sf), st.end);
    if (!expectation) {
      parts.push(source);
      return;
    }
    checks++;
    const spec = JSON.stringify(expectation);
    if (ts.isExpressionStatement(st)) {
      parts.push(`await __check(async () => (${code.slice(st.expression.getStart(sf), st.expression.end)}), ${spec});`);
    } else if (ts.isVariableStatement(st)) {
      const last = st.declarationList.declarations[st.declarationList.declarations.length - 1] as ts.VariableDeclaration;
      if (last.initializer === undefined) throw new Error(`line ${statementLine}: a declaration without a value cannot state an outcome`);
      const init = last.initializer;
      const wrapped = `await __check(async () => (${code.slice(init.getStart(sf), init.end)}), ${spec})`;
      parts.push(code.slice(st.getStart(sf), init.getStart(sf)) + wrapped + code.slice(init.end, st.end));
    } else if (expectation.kind === "value") {
      throw new Error(`line ${statementLine}: "// =>" needs an expression or a declaration, not a ${ts.SyntaxKind[st.kind]}`);
    } else if (ts.isFunctionDeclaration(st) || ts.isClassDeclaration(st)) {
      throw new Error(`line ${statementLine}: a declaration of a function or class cannot state an outcome`);
    } else {
      parts.push(`await __check(async () => { ${source} }, ${spec});`);
    }
  });
  const stray = comments.find((c) => EXPECTATION_COMMENT.test(c.text) && !consumed.has(c.pos));
  if (stray) {
    throw new Error(`line ${stray.line + 1}: "${stray.text}" is not attached to a top-level statement (it must start on the statement's last line or the line below)`);
  }
  return { program: parts.join("\n"), declared, checks };
}

function importAsRequire(st: ts.ImportDeclaration, declared: Set<string>): string {
  const spec = JSON.stringify((st.moduleSpecifier as ts.StringLiteral).text);
  const clause = st.importClause;
  if (clause === undefined) return `__import(${spec});`;
  if (clause.isTypeOnly) return "";
  const out: string[] = [];
  if (clause.name) {
    declared.add(clause.name.text);
    out.push(`const ${clause.name.text} = __importDefault(${spec});`);
  }
  const bindings = clause.namedBindings;
  if (bindings && ts.isNamespaceImport(bindings)) {
    declared.add(bindings.name.text);
    out.push(`const ${bindings.name.text} = __import(${spec});`);
  } else if (bindings) {
    const names = bindings.elements.filter((e) => !e.isTypeOnly).map((e) => {
      declared.add(e.name.text);
      return e.propertyName ? `${e.propertyName.getText()}: ${e.name.text}` : e.name.text;
    });
    if (names.length > 0) out.push(`const { ${names.join(", ")} } = __import(${spec});`);
  }
  return out.join("\n");
}

function collectNames(name: ts.BindingName, into: Set<string>): void {
  if (ts.isIdentifier(name)) into.add(name.text);
  else for (const e of name.elements) if (!ts.isOmittedExpression(e)) collectNames(e.name, into);
}

// ---- the expected-value literal ----

/** A parsed expected value. */
export type Pattern =
  | { readonly t: "number"; readonly text: string; readonly prefix: boolean }
  | { readonly t: "string"; readonly value: string }
  | { readonly t: "const"; readonly value: unknown }
  | { readonly t: "array"; readonly typed: string | null; readonly head: readonly Pattern[]; readonly tail: readonly Pattern[]; readonly rest: boolean }
  | { readonly t: "object"; readonly entries: ReadonlyArray<readonly [string, Pattern]>; readonly rest: boolean };

/** Parses the literal at the start of `text`; the rest is a remark. Throws on text that is not a literal. */
export function parsePattern(text: string): Pattern {
  let i = 0;
  const ws = (): void => {
    while (i < text.length && /\s/.test(text[i] as string)) i++;
  };
  const fail = (what: string): never => {
    throw new Error(`expected ${what} at "${text.slice(i, i + 30)}" in "${text}"`);
  };
  const quotedString = (raw: string): string => {
    if (raw.startsWith('"')) return JSON.parse(raw) as string;
    return JSON.parse(`"${raw.slice(1, -1).replace(/\\'/g, "'").replace(/"/g, '\\"')}"`) as string;
  };
  const value = (): Pattern => {
    ws();
    const rest = text.slice(i);
    let m = /^(-?(?:\d+\.?\d*|\.\d+))(\.\.\.)?(e[+-]?\d+)?/i.exec(rest);
    if (m && !/^-?Infinity/.test(rest)) {
      i += m[0].length;
      return { t: "number", text: `${m[1] as string}${m[3] ?? ""}`, prefix: m[2] !== undefined };
    }
    m = /^("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')/.exec(rest);
    if (m) {
      i += m[0].length;
      return { t: "string", value: quotedString(m[0]) };
    }
    m = /^(true|false|null|undefined|NaN|-?Infinity)\b/.exec(rest);
    if (m) {
      i += m[0].length;
      const consts: Record<string, unknown> = { true: true, false: false, null: null, undefined, NaN, Infinity, "-Infinity": -Infinity };
      return { t: "const", value: consts[m[0]] };
    }
    m = /^([A-Z][A-Za-z0-9]*Array)\s*(?=\[)/.exec(rest);
    let typed: string | null = null;
    if (m) {
      typed = m[1] as string;
      i += m[0].length;
    }
    if (text[i] === "[") {
      i++;
      const head: Pattern[] = [];
      const tail: Pattern[] = [];
      let restAllowed = false;
      ws();
      if (text[i] === "]") {
        i++;
        return { t: "array", typed, head, tail, rest: false };
      }
      for (;;) {
        ws();
        if (text.startsWith("...", i)) {
          if (restAllowed) fail('one "..." per array');
          i += 3;
          restAllowed = true;
        } else (restAllowed ? tail : head).push(value());
        ws();
        if (text[i] === ",") {
          i++;
          ws();
          if (text[i] !== "]") continue;
        }
        if (text[i] === "]") {
          i++;
          break;
        }
        fail('"," or "]"');
      }
      return { t: "array", typed, head, tail, rest: restAllowed };
    }
    if (typed) fail("[");
    if (text[i] === "{") {
      i++;
      const entries: Array<[string, Pattern]> = [];
      let restAllowed = false;
      ws();
      if (text[i] === "}") {
        i++;
        return { t: "object", entries, rest: false };
      }
      for (;;) {
        ws();
        if (text.startsWith("...", i)) {
          i += 3;
          restAllowed = true;
        } else {
          const km = /^(?:([A-Za-z_$][\w$]*)|("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')|(\d+))\s*:/.exec(text.slice(i));
          if (!km) fail("a key");
          const k = km as RegExpExecArray;
          i += k[0].length;
          entries.push([k[1] ?? (k[2] !== undefined ? quotedString(k[2]) : (k[3] as string)), value()]);
        }
        ws();
        if (text[i] === ",") {
          i++;
          ws();
          if (text[i] !== "}") continue;
        }
        if (text[i] === "}") {
          i++;
          break;
        }
        fail('"," or "}"');
      }
      return { t: "object", entries, rest: restAllowed };
    }
    return fail("a literal");
  };
  const p = value();
  ws();
  const remark = text.slice(i);
  if (remark !== "" && !/^[(,;A-Za-z]/.test(remark)) fail("the end of the literal, or a remark starting with a letter, (, comma or ;");
  return p;
}

/** Why a number does not match its pattern, or null. */
function numberMismatch(actual: number, p: Extract<Pattern, { t: "number" }>, approximate: boolean, path: string): string | null {
  const expected = Number(p.text);
  if (approximate) {
    return Math.abs(actual - expected) <= 0.1 * Math.abs(expected) + 1e-300 ? null : `${path}: ${actual} is not within 10% of ${p.text}`;
  }
  const [mantissa, exponent] = p.text.toLowerCase().split("e");
  const decimals = ((mantissa as string).split(".")[1] ?? "").length;
  const unit = 10 ** (Number(exponent ?? 0) - decimals);
  const slack = 4 * Number.EPSILON * Math.max(Math.abs(expected), Math.abs(actual));
  if (p.prefix) {
    // |actual| lies in [|expected|, |expected| + unit): its digits start with the written ones.
    const negative = (mantissa as string).startsWith("-");
    if (negative !== (actual < 0 || Object.is(actual, -0)) && expected !== 0) return `${path}: ${actual} does not start with ${p.text}...`;
    const a = Math.abs(actual);
    const e = Math.abs(expected);
    // The window is moved down by a few ulps: a value a rounding error below a written number still starts so.
    return a >= e - slack && a < e + unit - slack ? null : `${path}: ${actual} does not start with ${p.text}...`;
  }
  if (!/[.e]/i.test(p.text)) return actual === expected ? null : `${path}: ${actual} !== ${p.text}`;
  return Math.abs(actual - expected) <= 0.5 * unit + slack ? null : `${path}: ${actual} does not round to ${p.text}`;
}

/** Why `actual` does not match, or null when it does. */
export function mismatch(actual: unknown, p: Pattern, approximate: boolean, path = "value"): string | null {
  switch (p.t) {
    case "number":
      if (typeof actual !== "number") return `${path}: expected a number ${p.text}, got ${describe(actual)}`;
      return numberMismatch(actual, p, approximate, path);
    case "string":
      return actual === p.value ? null : `${path}: expected ${JSON.stringify(p.value)}, got ${describe(actual)}`;
    case "const":
      if (Number.isNaN(p.value)) return Number.isNaN(actual) ? null : `${path}: expected NaN, got ${describe(actual)}`;
      return actual === p.value ? null : `${path}: expected ${String(p.value)}, got ${describe(actual)}`;
    case "array": {
      if (p.typed) {
        if (!ArrayBuffer.isView(actual) || actual.constructor.name !== p.typed) return `${path}: expected a ${p.typed}, got ${describe(actual)}`;
      } else if (!Array.isArray(actual)) {
        return `${path}: expected an array, got ${ArrayBuffer.isView(actual) ? `a ${actual.constructor.name} (write "${actual.constructor.name} [...]")` : describe(actual)}`;
      }
      const list = Array.from(actual as ArrayLike<unknown>);
      const stated = p.head.length + p.tail.length;
      if (!p.rest && list.length !== stated) return `${path}: expected ${stated} elements, got ${list.length}: ${describe(actual)}`;
      if (list.length < stated) return `${path}: expected at least ${stated} elements, got ${list.length}: ${describe(actual)}`;
      for (let k = 0; k < p.head.length; k++) {
        const why = mismatch(list[k], p.head[k] as Pattern, approximate, `${path}[${k}]`);
        if (why) return why;
      }
      for (let k = 0; k < p.tail.length; k++) {
        const at = list.length - p.tail.length + k;
        const why = mismatch(list[at], p.tail[k] as Pattern, approximate, `${path}[${at}]`);
        if (why) return why;
      }
      return null;
    }
    case "object": {
      if (actual === null || typeof actual !== "object") return `${path}: expected an object, got ${describe(actual)}`;
      const record = actual as Record<string, unknown>;
      for (const [key, pattern] of p.entries) {
        if (!(key in record)) return `${path}.${key}: missing`;
        const why = mismatch(record[key], pattern, approximate, `${path}.${key}`);
        if (why) return why;
      }
      if (!p.rest) {
        const extra = Object.keys(record).filter((k) => !p.entries.some(([e]) => e === k));
        if (extra.length > 0) return `${path}: unexpected keys ${extra.join(", ")} (add "..." to the example)`;
      }
      return null;
    }
  }
}

function describe(x: unknown): string {
  try {
    const s = typeof x === "string"
      ? JSON.stringify(x)
      : typeof x === "object" && x !== null
        ? JSON.stringify(x, (_k, v: unknown) => (ArrayBuffer.isView(v) ? Array.from(v as unknown as ArrayLike<number>) : typeof v === "number" && !Number.isFinite(v) ? String(v) : v))
        : String(x);
    return s.length > 300 ? `${s.slice(0, 300)}...` : s;
  } catch {
    return String(x);
  }
}

/** Whether an output line matches an expected line (`...` matches any text). */
export function lineMatches(actual: string, expected: string): boolean {
  const parts = expected.trim().split("...").map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  return new RegExp(`^${parts.join(".*")}$`, "s").test(actual.trim());
}

/** The function examples call for each stated expectation; it returns the statement's value. */
export async function check(thunk: () => Promise<unknown>, expectation: Expectation): Promise<unknown> {
  try {
    return await checked(thunk, expectation);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`line ${expectation.line}: ${message}`, { cause: error });
  }
}

async function checked(thunk: () => Promise<unknown>, expectation: Expectation): Promise<unknown> {
  if (expectation.kind === "throws") {
    let threw: unknown = null;
    try {
      await thunk();
    } catch (error) {
      threw = error ?? new Error("thrown");
    }
    const wanted = [expectation.name, expectation.fragment && `"${expectation.fragment}"`].filter(Boolean).join(" ") || "any error";
    if (threw === null) throw new Error(`expected a throw (${wanted}), nothing was thrown`);
    const message = threw instanceof Error ? threw.message : String(threw);
    if (expectation.name !== null && (threw as Error).name !== expectation.name) {
      throw new Error(`expected ${expectation.name}, got ${(threw as Error).name}: ${message}`);
    }
    if (expectation.fragment !== null && !message.includes(expectation.fragment)) {
      throw new Error(`expected a message containing "${expectation.fragment}", got "${message}"`);
    }
    return undefined;
  }
  if (expectation.kind === "prints") {
    const captured: string[] = [];
    const stream = expectation.stream === "stderr" ? process.stderr : process.stdout;
    const write = stream.write;
    const consoleMethods = expectation.stream === "stderr" ? (["error", "warn"] as const) : (["log", "info"] as const);
    const saved = consoleMethods.map((k) => console[k]);
    stream.write = ((chunk: string | Uint8Array) => {
      captured.push(typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8"));
      return true;
    }) as typeof stream.write;
    for (const k of consoleMethods) console[k] = (...args: unknown[]) => void captured.push(`${args.map(String).join(" ")}\n`);
    let result: unknown;
    try {
      result = await thunk();
    } finally {
      stream.write = write;
      consoleMethods.forEach((k, n) => (console[k] = saved[n] as typeof console.log));
    }
    // A carriage return rewrites the line (progress on a terminal): each rewrite counts as a line.
    const lines = captured.join("").split(/\r\n|\n|\r/);
    let at = 0;
    for (const want of expectation.lines) {
      const found = lines.findIndex((l, k) => k >= at && lineMatches(l, want));
      if (found < 0) throw new Error(`expected ${expectation.stream} to contain the line "${want}"${at > 0 ? " after the lines before it" : ""}; it was:\n${captured.join("")}`);
      at = found + 1;
    }
    return result;
  }
  const actual = await thunk();
  const why = mismatch(actual, parsePattern(expectation.text), expectation.approximate);
  if (why) throw new Error(why);
  return actual;
}
