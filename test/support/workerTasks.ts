/** Tasks for test/runOnWorkers.test.ts, loaded by worker threads. */
import { threadId } from "node:worker_threads";

/** x squared, with the thread that computed it. */
export function square(x: number): { value: number; thread: number } {
  return { value: x * x, thread: threadId };
}

/** Waits `ms` milliseconds, then reports when it started and ended (to see tasks overlap). */
export async function sleep(ms: number): Promise<{ start: number; end: number }> {
  const start = Date.now();
  await new Promise((resolve) => setTimeout(resolve, ms));
  return { start, end: Date.now() };
}

/** Always throws. */
export function fail(message: string): never {
  throw new Error(message);
}
