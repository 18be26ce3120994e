import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type { PlotlyConfig, PlotlyLayout, PlotlyTrace } from "./plotlyFigure";

/** Options of `nodeplotlibPlot`. */
export interface NodeplotlibOptions {
  /** Where the page's address and the server's warnings go (default: process.stderr.write). */
  readonly write?: (text: string) => void;
  /** The port (default: NODEPLOTLIB_PORT when set, otherwise a free one). */
  readonly port?: number;
  /** Open a browser on the page with xdg-open (default: when DISPLAY or WAYLAND_DISPLAY is set). */
  readonly openBrowser?: boolean;
}

interface Subject<T> {
  readonly value: T;
  next(value: T): void;
}

interface Closable {
  close(): Promise<void>;
}

interface QueuedPlot {
  readonly data: unknown;
  readonly layout: unknown;
  readonly config: PlotlyConfig;
}

interface ServerState {
  readonly buffer: Subject<QueuedPlot[]>;
  readonly of: (value: unknown) => unknown;
  /** The running server's start: its page's address once it listens, undefined when it did not start. */
  started: Promise<string | undefined> | undefined;
  /** Shuts the running server down (as when its last page closes); resolves once it is closed. */
  stop: (() => Promise<void>) | undefined;
  /** True once the running server reads the buffer: each emission is then read whole, so it carries only the new figure. */
  serving: boolean;
}

let state: ServerState | undefined;

// nodeplotlib 1.1.2 (pinned) is used through its own modules, resolved from its folder so that Nest,
// socket.io and rxjs are the very copies its server module was built against. Its `plot()` cannot be
// told where to listen (it binds every interface), logs to stdout through Nest and console.log, and its
// page loads plotly 1.58 from a CDN, so this adapter starts the same server module itself.
function nodeplotlibRequire(): NodeRequire {
  return createRequire(require.resolve("nodeplotlib/package.json"));
}

function serverState(): ServerState {
  if (state !== undefined) return state;
  const npRequire = nodeplotlibRequire();
  const rxjs = npRequire("rxjs") as { BehaviorSubject: new <T>(value: T) => Subject<T>; of: (value: unknown) => unknown };
  state = { buffer: new rxjs.BehaviorSubject<QueuedPlot[]>([]), of: rxjs.of, started: undefined, stop: undefined, serving: false };
  return state;
}

/** nodeplotlib's page with the plotly.js bundle of this package in place of the CDN copy. */
function offlineIndexHtml(webDir: string): string {
  return readFileSync(join(webDir, "index.html"), "utf8").replace(
    /<script[^>]*src="https:\/\/cdn\.plot\.ly\/[^"]*"[^>]*><\/script>/,
    '<script type="text/javascript" src="/mp-plotly.min.js"></script>',
  );
}

async function startServer(current: ServerState, options: NodeplotlibOptions): Promise<string> {
  const write = options.write ?? ((text: string) => void process.stderr.write(text));
  const npRequire = nodeplotlibRequire();
  const lib = join(dirname(require.resolve("nodeplotlib/package.json")), "src", "lib");
  const { NestFactory } = npRequire("@nestjs/core") as {
    NestFactory: { create(module: unknown, options: unknown): Promise<NestApp> };
  };
  const { ServerModule } = npRequire(join(lib, "server", "server.module")) as { ServerModule: unknown };
  const { PlotsService } = npRequire(join(lib, "server", "plots", "plots.service")) as { PlotsService: unknown };
  const { BridgeService } = npRequire(join(lib, "server", "services", "bridge.service")) as { BridgeService: unknown };
  const { PlotsGateway } = npRequire(join(lib, "server", "plots", "plots.gateway")) as {
    PlotsGateway: { prototype: GatewayLike };
  };
  // The same bookkeeping as nodeplotlib's gateway (the server shuts down once no page is connected), without its console.log.
  PlotsGateway.prototype.handleConnection = function (this: GatewayLike, client: unknown): void {
    this.clientMap.set(client, Date.now());
  };
  PlotsGateway.prototype.handleDisconnect = function (this: GatewayLike, client: unknown): void {
    this.clientMap.delete(client);
    if (this.clientMap.size === 0) this.bridgeService.shutdown$.next(null);
  };
  const logger = {
    log: (): void => {},
    debug: (): void => {},
    verbose: (): void => {},
    warn: (message: unknown): void => write(`nodeplotlib: ${String(message)}\n`),
    error: (message: unknown): void => write(`nodeplotlib: ${String(message)}\n`),
  };
  const app = await NestFactory.create(ServerModule, { logger });
  const index = offlineIndexHtml(join(lib, "server", "web"));
  const plotlyPath = join(dirname(require.resolve("plotly.js-dist-min/package.json")), "plotly.min.js");
  app.use((request: { method: string; path: string }, response: ResponseLike, next: () => void) => {
    if (request.method === "GET" && (request.path === "/" || request.path === "/index.html")) {
      response.type("html").send(index);
    } else if (request.method === "GET" && request.path === "/mp-plotly.min.js") {
      response.type("application/javascript").sendFile(plotlyPath);
    } else {
      next();
    }
  });
  const envPort = Number(process.env["NODEPLOTLIB_PORT"]);
  const port = options.port ?? (Number.isInteger(envPort) && envPort > 0 ? envPort : 0);
  await app.listen(port, "127.0.0.1");
  const address = app.getHttpServer().address() as AddressInfo;
  (app.get(PlotsService) as { setBuffer(buffer: Subject<QueuedPlot[]>): void }).setBuffer(current.buffer);
  current.serving = true;
  const bridge = app.get(BridgeService) as { shutdown$: { next(value: null): void; subscribe(next: () => void): { unsubscribe(): void } } };
  let closed: Promise<void> | undefined;
  const subscription = bridge.shutdown$.subscribe(() => {
    subscription.unsubscribe();
    current.started = undefined;
    current.stop = undefined;
    current.serving = false;
    current.buffer.next([]);
    closed = app.close();
  });
  current.stop = async () => {
    bridge.shutdown$.next(null);
    await closed;
  };
  const url = `http://127.0.0.1:${address.port}/`;
  write(`nodeplotlib: the figures are at ${url} (this process keeps running until that page has been opened and closed)\n`);
  if (options.openBrowser ?? (process.env["DISPLAY"] !== undefined || process.env["WAYLAND_DISPLAY"] !== undefined)) {
    const opener = spawn("xdg-open", [url], { stdio: "ignore", detached: true });
    opener.on("error", () => write(`nodeplotlib: could not start a browser (xdg-open); open ${url}\n`));
    opener.unref();
  }
  return url;
}

interface NestApp extends Closable {
  use(handler: (request: { method: string; path: string }, response: ResponseLike, next: () => void) => void): void;
  listen(port: number, host: string): Promise<unknown>;
  getHttpServer(): { address(): unknown };
  get(token: unknown): unknown;
}

interface ResponseLike {
  type(type: string): ResponseLike;
  send(body: string): void;
  sendFile(path: string): void;
}

interface GatewayLike {
  readonly clientMap: Map<unknown, number>;
  readonly bridgeService: { readonly shutdown$: { next(value: null): void } };
  handleConnection(client: unknown): void;
  handleDisconnect(client: unknown): void;
}

/**
 * Shows a plotly figure through nodeplotlib's browser page, served on 127.0.0.1 only, with this
 * package's plotly.js bundle instead of nodeplotlib's CDN copy (so the page draws offline) and without
 * nodeplotlib's log lines on stdout (its address and any server warnings go to `write`). The first call
 * starts the server and prints its address; later figures join the same page. As with nodeplotlib, the
 * process keeps running until the page has been opened and closed. What `showFigure` uses for the
 * "nodeplotlib" target (MP_DISPLAY=nodeplotlib).
 *
 * Cost: the first call starts a web server (about a second); each figure is kept in memory until served.
 *
 * @param data the figure's traces
 * @param layout the figure's layout
 * @param config the figure's config
 * @param options where messages go, the port, whether to open a browser
 * @returns the page's address once the server listens (undefined when it did not start: the reason went to `write`)
 * @example
 * const url = await nodeplotlibPlot([{ x: [1, 2], y: [3, 4] }], {}, {}, { openBrowser: false });
 * // stderr: nodeplotlib: the figures are at http://127.0.0.1:.../ (this process keeps running until that page has been opened and closed)
 * const page = await (await fetch(url!)).text();
 * [page.includes("<npl-root>"), page.includes("/mp-plotly.min.js"), page.includes("cdn.plot.ly")] // => [true, true, false]
 * await stopNodeplotlib() // => undefined (a script that should not wait for the page)
 */
export function nodeplotlibPlot(data: PlotlyTrace[], layout: PlotlyLayout, config: PlotlyConfig, options: NodeplotlibOptions = {}): Promise<string | undefined> {
  const current = serverState();
  const plot = { data: current.of(data), layout: current.of(layout), config };
  current.buffer.next(current.serving ? [plot] : [...current.buffer.value, plot]);
  if (current.started === undefined) {
    const write = options.write ?? ((text: string) => void process.stderr.write(text));
    current.started = startServer(current, options).catch((error: unknown) => {
      current.started = undefined;
      write(`nodeplotlib: the server did not start: ${error instanceof Error ? error.message : String(error)}\n`);
      return undefined;
    });
  }
  return current.started;
}

/**
 * Shuts the nodeplotlib server down, if one runs, as when its last page closes: figures not yet served are
 * dropped and the process no longer waits for a page. Cost: closing the server (milliseconds).
 *
 * @example
 * await stopNodeplotlib() // => undefined (nothing runs: nothing to do)
 */
export async function stopNodeplotlib(): Promise<void> {
  const current = state;
  if (current?.started === undefined) return;
  await current.started;
  await current.stop?.();
}
