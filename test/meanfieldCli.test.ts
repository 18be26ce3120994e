import { test } from "node:test";
import assert from "node:assert/strict";
import { ParameterError } from "../src/model/parameterError";
import { formatMeanfieldReport, meanfieldReport, parseMeanfieldArgs } from "../src/cli/commands/meanfield";
import { runCli } from "../src/cli/main";
import { shortestOfD } from "../src/model/policy";
import { refinedMeanField } from "../src/theory/meanfield/refinedMeanField";

const argv = (s: string): string[] => s.split(" ");

test("meanfield report: derived ABOUNCE(2,10), K = 2, lambda = 0.75", () => {
  const r = meanfieldReport(parseMeanfieldArgs(argv("--policy abounce --lambda 0.75 --K 2 --C 2 --d 10")));
  assert.ok(r.converged);
  // regression guard (values of the derived system; compare test/meanfieldSystems.test.ts for the checks)
  assert.ok(Math.abs(r.meanQueueLength - 2.2353591) < 1e-6);
  assert.equal(r.tail[0], 1, "tail[0] = P(Q >= 0) = 1, as in every command's output");
  assert.equal(r.tailComplement[0], 0);
  assert.ok(Math.abs(r.unitArrivalRate - r.tail[1]!) < 1e-12, "conservation");
  assert.equal(r.refined, undefined, "no refined part without --refined");
  assert.equal(r.sampling, "others");
  assert.match(formatMeanfieldReport(r), /mean delay per unit/);
  const printed = meanfieldReport(parseMeanfieldArgs(argv("--policy abounce --lambda 0.75 --K 2 --C 2 --d 10 --system printed")));
  assert.ok(printed.unaccountedArrivalProbability > 0.1);
  const none = meanfieldReport(parseMeanfieldArgs(argv("--policy none --lambda 0.5")));
  assert.ok(Math.abs(none.meanQueueLength - 1) < 1e-9);
  const inf = parseMeanfieldArgs(argv("--policy sqd --lambda 0.5 --d inf"));
  assert.equal(inf.policy.kind === "sqd" && inf.policy.samples, Infinity);
});

test("meanfield: bad flags throw a ParameterError naming the flag", () => {
  const flagOf = (s: string): string => {
    try {
      meanfieldReport(parseMeanfieldArgs(argv(s)));
    } catch (e) {
      assert.ok(e instanceof ParameterError, String(e));
      return e.parameter;
    }
    return "no error";
  };
  assert.equal(flagOf("--policy abounce --lambda 1.2 --K 2 --C 2 --d 10"), "--lambda");
  assert.equal(flagOf("--policy abounce --lambda 0 --K 2 --C 2 --d 10"), "--lambda");
  assert.equal(flagOf("--policy abounce --lambda 0.5 --K 2 --C 1 --d 10"), "--C");
  assert.equal(flagOf("--policy mbounce --lambda 0.5 --K 2 --alpha 1 --d 10"), "--alpha");
  assert.equal(flagOf("--policy mbounce --lambda 0.5 --K 2 --alpha 2 --d 0"), "--d");
  assert.equal(flagOf("--policy sqd --lambda 0.5 --d 2 --K 2"), "--K");
  assert.equal(flagOf("--policy foo --lambda 0.5"), "--policy");
  assert.equal(flagOf("--policy abounce --lambda 0.5 --K 2 --C 2 --d 10 --system other"), "--system");
  assert.equal(flagOf("--policy sqd --lambda 0.5 --d 2 --system printed"), "--policy");
  assert.equal(flagOf("--policy abounce --lambda 0.5 --K 2 --C 2 --d 10 --bogus 1"), "--bogus");
  assert.equal(flagOf("--policy abounce --lambda 0.5 --K 2 --C 2 --alpha 2 --d 10"), "--alpha");
  assert.equal(flagOf("--policy mbounce --lambda 0.5 --K 2 --C 2 --alpha 2 --d 10"), "--C");
  assert.equal(flagOf("--policy abounce --lambda 0.5 --K 2 --C 2"), "no error", "d defaults to 2, C to K");
  assert.equal(flagOf("--policy none --lambda 0.5 --d 2"), "--d");
  assert.equal(flagOf("--policy sqd --lambda 0.5 --d 2 --sampling all"), "--sampling", "--sampling applies only with --refined");
  assert.equal(flagOf("--policy abounce --lambda 0.5 --K 2 --C 2 --d 10 --allow-outside-paper"), "no error");
  assert.equal(flagOf("--policy abounce --lambda 0.5 --K 2 --C 1 --d 10 --allow-outside-paper"), "no error");
  // the refined mean field's flags
  assert.equal(flagOf("--policy sqd --lambda 0.5 --d 2 --n 10"), "--n");
  assert.equal(flagOf("--policy sqd --lambda 0.5 --d 2 --refined"), "--n");
  assert.equal(flagOf("--policy sqd --lambda 0.5 --d 2 --refined --n 1"), "--n");
  assert.equal(flagOf("--policy sqd --lambda 0.5 --d 2 --refined --n 7.5"), "--n");
  assert.equal(flagOf("--policy sqd --lambda 0.5 --d inf --refined --n 10"), "--d");
  assert.equal(flagOf("--policy abounce --lambda 0.5 --K 2 --C 2 --d 10 --refined --n 10 --system printed"), "--system");
  assert.equal(flagOf("--policy sqd --lambda 0.5 --d 2 --refined --n 10 --sampling some"), "--sampling");
  assert.equal(flagOf("--policy sqd --lambda 0.5 --d 4 --refined --n 4 --sampling others-without-replacement"), "--d");
  assert.equal(flagOf("--policy sqd --lambda 0.5 --d 2 --refined --n 10 --sampling all"), "no error");
});

test("meanfield --refined --n N: the refined part equals refinedMeanField, with tail[0] = 1", () => {
  const r = meanfieldReport(parseMeanfieldArgs(argv("--policy sqd --lambda 0.9 --d 1 --refined --n 10 --sampling all")));
  const direct = refinedMeanField({ arrivalRate: 0.9, migrationPenalty: 1, policy: shortestOfD(1) }, { queues: 10, sampling: "all" });
  assert.ok(r.refined?.converged);
  assert.equal(r.refined.tail[0], 1);
  assert.equal(r.refined.queues, 10);
  assert.equal(r.refined.sampling, "all");
  assert.deepEqual(r.refined.tail, direct.tail);
  assert.equal(r.refined.meanQueueLength, direct.meanQueueLength);
  assert.ok(Math.abs(r.refined.meanQueueLength - (r.meanQueueLength + r.refined.meanQueueLengthCorrection / 10)) < 1e-12);
  assert.match(formatMeanfieldReport(r), /refined mean field, n = 10 \(all\)/);
});

test("meanfield run(): exit 2 with the message on stderr for bad input, 1 when no fixed point exists, 0 otherwise", async () => {
  const captured: string[] = [];
  const outWrite = process.stdout.write.bind(process.stdout);
  const errWrite = process.stderr.write.bind(process.stderr);
  const capture = (chunk: string | Uint8Array): boolean => {
    captured.push(String(chunk));
    return true;
  };
  process.stdout.write = capture as typeof process.stdout.write;
  process.stderr.write = capture as typeof process.stderr.write;
  let codes: number[];
  try {
    codes = [
      await runCli(argv("meanfield --policy abounce --lambda 0.75 --K 2 --C 1 --d 10")),
      await runCli(argv("meanfield --policy abounce --lambda 0.79 --K 2 --C 2 --d 10 --json")),
      await runCli(argv("meanfield --policy mbounce --lambda 0.75 --K 2 --alpha 2 --d 10 --json")),
      await runCli(argv("meanfield --policy abounce --lambda 0.75 --K 2 --C 2 --d 10 --refined --n 20 --json")),
    ];
  } finally {
    process.stdout.write = outWrite;
    process.stderr.write = errWrite;
  }
  assert.deepEqual(codes, [2, 1, 0, 0]);
  assert.match(captured[0]!, /^migration-penalties meanfield: --C = 1 is out of range/);
  assert.equal(JSON.parse(captured[captured.length - 3]!).converged, false);
  assert.equal(JSON.parse(captured[captured.length - 2]!).converged, true);
  const refined = JSON.parse(captured[captured.length - 1]!);
  assert.equal(refined.tail[0], 1);
  assert.equal(refined.refined.tail[0], 1);
  assert.ok(refined.refined.meanQueueLength > refined.meanQueueLength, "ABOUNCE(2,10) at n = 20: the finite system holds more units");
});
