/**
 * Inputs outside the range where the package's arithmetic stays exact, or where a call would run far beyond
 * its documented bound: each row is a call, the parameter its ParameterError must name, and a fragment of the
 * allowed range the message must give. Every call must throw before any work (the rows that would run long
 * are noted). The CLI's side of the same bounds is test/cliBounds.test.ts.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { availableParallelism } from "node:os";
import { ParameterError } from "../src/model/parameterError";
import { abounce, mbounce, noSharing } from "../src/model/policy";
import type { SystemParams } from "../src/model/system";
import { runSimulation } from "../src/simulate/runSimulation";
import { resolveSimulationOptions } from "../src/simulate/simulationOptions";
import { exactTwoQueueThreshold } from "../src/theory/thresholds/exactTwoQueueThreshold";
import { theorem2LambdaStar } from "../src/theory/thresholds/theorem2LambdaStar";
import { twoQueueDifferenceLaw } from "../src/theory/thresholds/twoQueueDifferenceLaw";
import { exactDrift } from "../src/theory/lyapunov/exactDrift";
import { monteCarloDrift } from "../src/theory/lyapunov/monteCarloDrift";
import { embeddedChainTransitions } from "../src/theory/lyapunov/embeddedChainTransitions";
import { embeddedChainStepper } from "../src/theory/lyapunov/embeddedChainStepper";
import { theorem2LyapunovFunction } from "../src/theory/lyapunov/theorem2LyapunovFunction";
import { theorem3LyapunovFunction } from "../src/theory/lyapunov/theorem3LyapunovFunction";
import { lyapunovFromFunction } from "../src/theory/lyapunov/lyapunovFunction";

const mm1 = (lambda: number, n = 100): SystemParams => ({ queues: n, arrivalRate: lambda, migrationPenalty: 1, policy: noSharing() });
const abounce22 = { queues: 2, arrivalRate: 0.9, migrationPenalty: 2, policy: abounce(2, Infinity) };
const mbounceAt = (lambda: number, n = 2): SystemParams => ({ queues: n, arrivalRate: lambda, migrationPenalty: 2, policy: mbounce(2, Infinity) });
const V3 = theorem3LyapunovFunction(2);
const cores = Math.max(1, availableParallelism());

/** [what, the call, the parameter the error names, a fragment of the allowed range it states]. */
const rows: Array<[string, () => unknown, string, string]> = [
  // Simulator: the arrival rate where the 32-bit event draw keeps both probabilities to 2^-21 relative.
  ["simulate lambda = 1e308 (time stood still, delay NaN)", () => runSimulation(mm1(1e308), { events: 1e4 }), "arrivalRate (lambda)", "[2^-12, 2^12]"],
  ["simulate lambda = 1e-300 (no arrival ever)", () => runSimulation(mm1(1e-300), { events: 1e4 }), "arrivalRate (lambda)", "[2^-12, 2^12]"],
  // Budgets too small to form the 20 batches the report announces.
  ["simulate events = 1 (every estimate NaN)", () => runSimulation(mm1(0.5), { events: 1 }), "events", ">= 40"],
  ["simulate time = 1e-300 (no event at all)", () => runSimulation(mm1(0.5), { time: 1e-300 }), "time", "80 / (n (lambda + 1))"],
  // Work and exactness (resolveSimulationOptions only: were a bound missing, the run itself would take hours).
  ["simulate events = 1e12 (about 30 h)", () => resolveSimulationOptions(mm1(0.5), { events: 1e12 }), "events", "without force"],
  ["simulate 20 replications x 1e9 events", () => resolveSimulationOptions(mm1(0.5), { events: 1e9, replications: 20 }), "events", "at most 4.54e8"],
  ["simulate time = 1e9 at n = 100", () => resolveSimulationOptions(mm1(0.5), { time: 1e9 }), "time", "without force"],
  ["simulate n x events above 2^53, even forced", () => resolveSimulationOptions(mm1(0.5, 1e7), { events: 2 ** 40, force: true }), "events", "with n = 10000000"],
  ["simulate more workers than cores", () => resolveSimulationOptions(mm1(0.5), { events: 1e4, replications: cores + 1, workers: cores + 1 }), "workers", `[1, ${cores}]`],
  ["simulate force must be a boolean", () => resolveSimulationOptions(mm1(0.5), { events: 1e4, force: "yes" as unknown as boolean }), "force", "true or false"],
  // Thresholds.
  ["theorem2LambdaStar(2, 1e300) (Infinity)", () => theorem2LambdaStar(2, 1e300), "threshold (C)", "[2, 3002399751580328]"],
  ["theorem2LambdaStar(2, 2^53 / 3) (integers round)", () => theorem2LambdaStar(2, 3002399751580329), "threshold (C)", "floor(2^53 / (K + 1)) - 2"],
  ["twoQueueDifferenceLaw C = 1e308 (Invalid typed array length)", () => twoQueueDifferenceLaw(0.9, 2, 1e308), "threshold (C)", "[2, 16777216]"],
  ["exactTwoQueueThreshold C = 1e308", () => exactTwoQueueThreshold(2, 1e308), "threshold (C)", "2^24"],
  // Were the work limit missing, this row would compute for about 7 s before failing.
  ["exactTwoQueueThreshold C = 5e4 (work limit)", () => exactTwoQueueThreshold(2, 50_000), "threshold (C)", "[2, 41488]"],
  // Drift: arrival rates where exact and Monte Carlo event probabilities agree to 2^-20.
  ["exactDrift lambda = 1e308 (exact 0 against Monte Carlo 10)", () => exactDrift(V3, [10, 10], mbounceAt(1e308)), "arrivalRate (lambda)", "[2^-33, 2^33]"],
  ["monteCarloDrift lambda = 1e308", () => monteCarloDrift(V3, [10, 10], mbounceAt(1e308), { samples: 100 }), "arrivalRate (lambda)", "[2^-33, 2^33]"],
  ["embeddedChainTransitions lambda = 1e-300", () => embeddedChainTransitions([3, 1], mbounceAt(1e-300)), "arrivalRate (lambda)", "[2^-33, 2^33]"],
  ["embeddedChainStepper lambda = 1e308", () => embeddedChainStepper(mbounceAt(1e308)), "arrivalRate (lambda)", "[2^-33, 2^33]"],
  // Drift: states where V's increments are exact integers.
  ["exactDrift Theorem 2's V at (2^53 - 1, 3) (0.0845 instead of 0.0720)", () => exactDrift(theorem2LyapunovFunction(0.9, 2), [2 ** 53 - 1, 3], abounce22), "state", "<= 3002399751580328"],
  ["monteCarloDrift Theorem 3's V beyond 2^53 / (2 K n)", () => monteCarloDrift(V3, [2 ** 50, 0], mbounceAt(0.9), { samples: 10 }), "state", "<= 1125899906842623"],
  ["monteCarloDrift: K x steps pushes a user V past 2^53", () => monteCarloDrift(lyapunovFromFunction((q) => q[0]!), [2 ** 53 - 10, 0], mbounceAt(0.9), { samples: 10, steps: 10 }), "state", "queue lengths <= 9007199254740971"],
  ["theorem2LyapunovFunction C = 2^27 (h no longer exact)", () => theorem2LyapunovFunction(0.9, 2 ** 27), "threshold (C)", "[0, 67108864]"],
  // Drift: work. Were the limits missing, these rows would compute for 10-20 s before failing (1e9 samples: 8 min).
  ["monteCarloDrift samples = 2^25 + 1 (memory)", () => monteCarloDrift(V3, [10, 10], mbounceAt(0.9), { samples: 2 ** 25 + 1, force: true }), "samples", "[2, 33554432]"],
  ["monteCarloDrift samples = 2e7 (work limit)", () => monteCarloDrift(V3, [10, 10], mbounceAt(0.9), { samples: 2e7 }), "samples", "at most 19607843"],
  ["monteCarloDrift steps = 1e7 with 2 samples", () => monteCarloDrift(V3, [10, 10], mbounceAt(0.9), { samples: 2, steps: 1e7 }), "steps", "at most 9803921"],
  ["exactDrift with 1001 queues", () => exactDrift(V3, new Array(1001).fill(1), mbounceAt(0.9, 1001)), "queues (n)", "at most 1000"],
];

for (const [what, call, parameter, fragment] of rows) {
  test(`bad input: ${what} is refused, naming ${parameter} and its range`, async () => {
    let thrown: unknown;
    try {
      await call();
    } catch (error) {
      thrown = error;
    }
    assert.ok(thrown instanceof ParameterError, `expected a ParameterError, got ${thrown === undefined ? "no error" : String(thrown)}`);
    assert.equal(thrown.parameter, parameter, thrown.message);
    assert.ok(thrown.allowed.includes(fragment), `"${fragment}" not in "${thrown.allowed}"`);
  });
}

/**
 * The bounds hold at their edges: [what, a call at the edge that must succeed (and what it must return), the
 * call one step past it that must be refused, the parameter named]. `force` lifts only the cost limits.
 */
const edges: Array<[string, () => unknown, () => unknown, string]> = [
  ["Theorem 2's lambda* at its largest exact C", () => {
    const top = theorem2LambdaStar(2, 3002399751580328);
    assert.ok(top < 1 && top > theorem2LambdaStar(2, 1e6), `lambda* = ${top}`); // it rises to 1 with C
  }, () => theorem2LambdaStar(2, 3002399751580329), "threshold (C)"],
  ["the simulator's largest arrival rate, 2^12", () => resolveSimulationOptions(mm1(2 ** 12), { events: 1e4 }),
    () => resolveSimulationOptions(mm1(4096.001), { events: 1e4 }), "arrivalRate (lambda)"],
  ["the simulator's smallest arrival rate, 2^-12", () => resolveSimulationOptions(mm1(2 ** -12), { events: 1e4 }),
    () => resolveSimulationOptions(mm1(0.999 * 2 ** -12), { events: 1e4 }), "arrivalRate (lambda)"],
  // 9090909091 events and a warm-up of floor(10%) = 909090909: exactly 1e10 events in all.
  ["exactly 1e10 events of work (with the default warm-up)", () => resolveSimulationOptions(mm1(0.5), { events: 9090909091 }),
    () => resolveSimulationOptions(mm1(0.5), { events: 9090909092 }), "events"],
  ["force lifts the work limit", () => resolveSimulationOptions(mm1(0.5), { events: 1e12, force: true }),
    () => resolveSimulationOptions(mm1(0.5), { events: 1e12 }), "events"],
  ["force lifts the worker limit", () => {
    assert.equal(resolveSimulationOptions(mm1(0.5), { events: 1e4, replications: 4, workers: cores + 1, force: true }).workers, cores + 1);
  }, () => resolveSimulationOptions(mm1(0.5), { events: 1e4, replications: 4, workers: cores + 1 }), "workers"],
  ["Theorem 2's V at its last exact state gives the large-state drift", () => {
    // Both 0.0720...: the drift does not depend on the state once |q1 - q2| > C + K.
    assert.equal(exactDrift(theorem2LyapunovFunction(0.9, 2), [3002399751580328, 3], abounce22), exactDrift(theorem2LyapunovFunction(0.9, 2), [1000, 3], abounce22));
  }, () => exactDrift(theorem2LyapunovFunction(0.9, 2), [3002399751580329, 3], abounce22), "state"],
  ["Theorem 3's V at its last exact state", () => monteCarloDrift(V3, [1125899906842623, 0], mbounceAt(0.9), { samples: 10 }),
    () => monteCarloDrift(V3, [1125899906842624, 0], mbounceAt(0.9), { samples: 10 }), "state"],
  ["the drift's largest arrival rate, 2^33", () => exactDrift(V3, [10, 10], mbounceAt(2 ** 33)),
    () => exactDrift(V3, [10, 10], mbounceAt(2 ** 33 * 1.0001)), "arrivalRate (lambda)"],
  ["force lifts the Monte Carlo work limit", () => monteCarloDrift(V3, [10, 10], mbounceAt(0.9), { samples: 20, steps: 1e6, force: true }),
    () => monteCarloDrift(V3, [10, 10], mbounceAt(0.9), { samples: 20, steps: 1e6 }), "samples"],
];

for (const [what, atEdge, pastEdge, parameter] of edges) {
  test(`edge: ${what} is accepted, one step past it is refused`, () => {
    atEdge();
    assert.throws(pastEdge, (e: unknown) => e instanceof ParameterError && e.parameter === parameter, "past the edge");
  });
}
