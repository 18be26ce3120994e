import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { checkablePage, renderedPageCheck, type RenderedPageCheck } from "./renderedPageCheck";

/** Options of `checkReport`. */
export interface ReportCheckOptions {
  /** The report folder (reports/). */
  readonly reportDir: string;
  /** The Chromium binary (Debian's /usr/bin/chromium). */
  readonly chromium: string;
  /** Where the PNG screenshots go (default reportDir/screenshots). */
  readonly screenshotDir?: string;
  /** Virtual time Chromium gives each page's scripts, in milliseconds (default 20000). */
  readonly virtualTimeMs?: number;
  /** Screenshot window size "width,height" in pixels (default "1280,2400"). */
  readonly windowSize?: string;
  /** require.js to load instead of nbconvert's CDN copy (default Debian's, when installed). */
  readonly requireJsUrl?: string;
  /** Where the verdicts are written (default process.stdout). */
  readonly write?: (text: string) => void;
}

/** The verdict on one page. */
export interface PageVerdict {
  readonly page: string;
  readonly check: RenderedPageCheck;
  readonly screenshot: string | undefined;
}

/** The verdict on the whole report. */
export interface ReportVerdict {
  readonly ok: boolean;
  readonly pages: readonly PageVerdict[];
  /** Problems of the report as a whole (no pages, index missing or not linking a page, no chart or table anywhere). */
  readonly problems: readonly string[];
}

const debianRequireJs = "/usr/share/javascript/requirejs/require.min.js";

function runChromium(options: ReportCheckOptions, userDataDir: string, extra: readonly string[], url: string): { ok: boolean; stdout: string; error: string } {
  const run = spawnSync(
    options.chromium,
    [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-dev-shm-usage",
      "--disable-background-networking",
      "--no-first-run",
      "--disable-component-update",
      "--disable-sync",
      `--user-data-dir=${userDataDir}`,
      `--virtual-time-budget=${options.virtualTimeMs ?? 20000}`,
      ...extra,
      url,
    ],
    { encoding: "utf8", maxBuffer: 512 * 1024 * 1024, timeout: 180000 },
  );
  const error = run.error ? run.error.message : run.status !== 0 ? `exit status ${run.status}: ${run.stderr.split("\n").slice(-5).join("\n")}` : "";
  return { ok: error === "", stdout: run.stdout ?? "", error };
}

/**
 * Checks the report in headless Chromium (Debian's, driven from the command line: no browser-automation
 * package): every notebook page in the report folder is loaded with an error collector injected and
 * require.js present (`checkablePage`), given virtual time to run its scripts, and its DOM read back
 * (`--dump-dom`, then `renderedPageCheck`): each chart drawn by plotly, no script error such as
 * "Plotly is not defined", no output area wider than the page or scrolling sideways, no chart title
 * cut off (the layout probe of `checkablePage`). A screenshot of each page (and of index.html) is
 * written as PNG for a person to look at. The report as a whole must have an index linking every page, and at least one
 * drawn chart and one table.
 *
 * Cost: two Chromium runs per page (a few seconds each).
 *
 * @param options report folder, Chromium binary, screenshot folder, virtual time, window size
 * @returns the verdicts
 * @example
 * const verdict = checkReport({ reportDir: "reports", chromium: "chromium", write: () => {} });
 * verdict.ok // => false (no report here yet; after a successful `npm run report` it is true)
 * verdict.problems[0]?.startsWith("no notebook pages (*.html) in ") // => true
 */
export function checkReport(options: ReportCheckOptions): ReportVerdict {
  const write = options.write ?? ((text: string) => void process.stdout.write(text));
  const reportDir = resolve(options.reportDir);
  const screenshotDir = options.screenshotDir ?? join(reportDir, "screenshots");
  const requireJsUrl = options.requireJsUrl ?? (existsSync(debianRequireJs) ? pathToFileURL(debianRequireJs).href : undefined);
  const problems: string[] = [];
  const pages = existsSync(reportDir)
    ? readdirSync(reportDir).filter((name) => name.endsWith(".html") && name !== "index.html" && statSync(join(reportDir, name)).isFile()).sort()
    : [];
  if (pages.length === 0) problems.push(`no notebook pages (*.html) in ${reportDir}: run npm run report first`);
  const indexPath = join(reportDir, "index.html");
  if (!existsSync(indexPath)) {
    problems.push(`${indexPath} is missing`);
  } else {
    const index = readFileSync(indexPath, "utf8");
    for (const page of pages) if (!index.includes(`href="${page}"`)) problems.push(`index.html does not link ${page}`);
  }
  mkdirSync(screenshotDir, { recursive: true });
  const work = mkdtempSync(join(tmpdir(), "mp-check-report-"));
  const verdicts: PageVerdict[] = [];
  try {
    for (const page of pages) {
      const prepared = join(work, page);
      writeFileSync(prepared, checkablePage(readFileSync(join(reportDir, page), "utf8"), requireJsUrl));
      const url = pathToFileURL(prepared).href;
      // The same window as the screenshot, so that the widths measured are those of the picture.
      const dump = runChromium(options, join(work, "profile-dom"), ["--dump-dom", `--window-size=${options.windowSize ?? "1280,2400"}`], url);
      const check = dump.ok
        ? renderedPageCheck(dump.stdout)
        : renderedPageCheck("");
      if (!dump.ok) check.problems.unshift(`Chromium failed: ${dump.error}`);
      const screenshot = join(screenshotDir, `${basename(page, ".html")}.png`);
      const shot = runChromium(
        options,
        join(work, "profile-shot"),
        [`--screenshot=${screenshot}`, `--window-size=${options.windowSize ?? "1280,2400"}`, "--hide-scrollbars"],
        url,
      );
      const screenshotWritten = shot.ok && existsSync(screenshot);
      if (!screenshotWritten) check.problems.push(`no screenshot: ${shot.error || "Chromium wrote no file"}`);
      verdicts.push({ page, check, screenshot: screenshotWritten ? screenshot : undefined });
      const c = check;
      const status = c.problems.length === 0 ? "ok  " : "FAIL";
      write(
        `${status} ${page}: ${c.figuresDrawn}/${c.figures} charts drawn (${c.plotlySvgs} plotly svg layers), ${c.tables} tables, ` +
          `${c.scriptErrors.length} script errors, ${c.wideOutputs.length} outputs wider than the page, ${c.clippedTitles.length} titles cut off` +
          `${screenshotWritten ? `; screenshot ${screenshot}` : ""}\n`,
      );
      for (const problem of c.problems) write(`       ${problem}\n`);
      for (const stderr of c.stderrOutputs) write(`       warning: stderr output in the page: ${stderr.slice(0, 300)}\n`);
    }
    if (existsSync(indexPath)) {
      runChromium(
        options,
        join(work, "profile-shot"),
        [`--screenshot=${join(screenshotDir, "index.png")}`, "--window-size=1280,900", "--hide-scrollbars"],
        pathToFileURL(indexPath).href,
      );
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  if (pages.length > 0 && !verdicts.some((v) => v.check.figuresDrawn > 0)) problems.push("no page has a drawn chart");
  if (pages.length > 0 && !verdicts.some((v) => v.check.tables > 0)) problems.push("no page has a table");
  for (const problem of problems) write(`FAIL report: ${problem}\n`);
  const ok = problems.length === 0 && verdicts.every((v) => v.check.problems.length === 0);
  write(ok ? `Report check passed: ${pages.length} page${pages.length === 1 ? "" : "s"}.\n` : "Report check FAILED.\n");
  return { ok, pages: verdicts, problems };
}

/**
 * The command line of the check (scripts/check-report.js): `node scripts/check-report.js [reportDir]`.
 * Chromium is MP_CHROMIUM, else /usr/bin/chromium, else chromium on PATH. Exit status 0 when the report
 * passes, 1 when it does not, 2 when Chromium is missing.
 *
 * @param argv the arguments after the script name
 * @param root the project root (the default report folder is root/reports)
 * @returns the exit status
 * @example
 * process.env.MP_CHROMIUM = "no-such-chromium";
 * checkReportMain([], ".") // => 2 (Chromium is missing: the message on stderr says how to install it)
 */
export function checkReportMain(argv: readonly string[], root: string): number {
  const reportDir = argv[0] ?? join(root, "reports");
  const chromium = process.env["MP_CHROMIUM"] || (existsSync("/usr/bin/chromium") ? "/usr/bin/chromium" : "chromium");
  const probe = spawnSync(chromium, ["--version"], { encoding: "utf8", timeout: 60000 });
  if (probe.error || probe.status !== 0) {
    process.stderr.write(
      `Chromium is not available (${probe.error?.message ?? probe.stderr.trim()}). npm test installs it; as root: apt-get update && apt-get install -y --no-install-recommends chromium\n`,
    );
    return 2;
  }
  return checkReport({ reportDir, chromium }).ok ? 0 : 1;
}
