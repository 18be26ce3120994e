/**
 * Runs `fn` with process.stdout and process.stderr captured; resolves to its exit code and the text written.
 *
 * Only text is captured. Under `node --test`, each test file runs in a child process whose stdout also carries
 * the test runner's own reports, written as binary (v8-serialized) chunks, possibly while `fn` is awaiting; those
 * are passed through to the real stream, so they neither corrupt the captured text nor get lost.
 */
export async function captureOutput(fn: () => Promise<number>): Promise<{ code: number; stdout: string; stderr: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const writeOut = process.stdout.write.bind(process.stdout);
  const writeErr = process.stderr.write.bind(process.stderr);
  const capture = (into: string[], real: typeof process.stdout.write) =>
    ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      if (typeof chunk !== "string") return (real as (...a: unknown[]) => boolean)(chunk, ...rest);
      into.push(chunk);
      const callback = rest.find((r) => typeof r === "function") as (() => void) | undefined;
      if (callback !== undefined) callback();
      return true;
    }) as typeof process.stdout.write;
  process.stdout.write = capture(out, writeOut);
  process.stderr.write = capture(err, writeErr);
  try {
    const code = await fn();
    return { code, stdout: out.join(""), stderr: err.join("") };
  } finally {
    process.stdout.write = writeOut;
    process.stderr.write = writeErr;
  }
}
