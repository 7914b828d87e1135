import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root (this file is e2e/support/gateway.ts). */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");

/** A running `aistream serve`. */
export interface Gateway {
  /** e.g. `http://127.0.0.1:41234/` (always ends with a slash). */
  readonly url: string;
  /** What the process printed so far (stdout and stderr), for failure messages. */
  output(): string;
  /** SIGTERM, then waits for the process to end (SIGKILL after 15 s). */
  stop(): Promise<void>;
}

const LISTENING = /^aistream gateway listening on (http:\/\/\S+)$/m;

/**
 * Starts the real gateway the way a user does: `./aistream serve --port 0` from the repository
 * root. The launcher finds a JDK ≥ 21 by itself and runs aistream-cli/target/aistream.jar (in the
 * Maven build that jar was just built; from a shell it builds it on first use). Resolves with the
 * URL it prints on stdout once it listens.
 */
export async function startGateway(
  options: {
    startTimeoutMs?: number;
    /** extra `serve` arguments, e.g. `["--config", file]` */ args?: string[];
  } = {},
): Promise<Gateway> {
  const launcher = path.join(repoRoot, "aistream");
  if (!existsSync(launcher)) throw new Error(`no launcher at ${launcher}`);
  const env = { ...process.env };
  delete env.AISTREAM_API_KEYS; // no keys: loopback only, no auth, the simulated provider
  return startProcess(
    "aistream serve",
    launcher,
    ["serve", "--port", "0", ...(options.args ?? [])],
    env,
    options.startTimeoutMs,
    (stdout) => {
      const m = LISTENING.exec(stdout);
      return m ? (m[1]!.endsWith("/") ? m[1]! : `${m[1]}/`) : undefined;
    },
  );
}

/**
 * Runs `command` from the repository root and resolves with the URL `listening` finds in what it
 * printed (stdout alone, and stdout with stderr); rejects when it exits first or prints none within
 * the timeout. `stop()` sends SIGTERM, then SIGKILL after 15 s.
 */
async function startProcess(
  what: string,
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  startTimeoutMs: number | undefined,
  listening: (stdout: string, all: string) => string | undefined,
): Promise<Gateway> {
  const child = spawn(command, args, { cwd: repoRoot, env, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let all = "";
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timeoutMs = startTimeoutMs ?? 300_000;
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`${what} printed no URL within ${timeoutMs} ms:\n${all}`));
    }, timeoutMs);
    const check = (): void => {
      const found = listening(stdout, all);
      if (found) {
        clearTimeout(timer);
        resolve(found);
      }
    };
    child.stdout.setEncoding("utf8").on("data", (d: string) => {
      stdout += d;
      all += d;
      check();
    });
    child.stderr.setEncoding("utf8").on("data", (d: string) => {
      all += d;
      check();
    });
    child.once("error", (e) => {
      clearTimeout(timer);
      reject(e);
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${what} exited (${code}) before it listened:\n${all}`));
    });
  });
  return {
    url,
    output: () => all,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGTERM");
      const killer = setTimeout(() => child.kill("SIGKILL"), 15_000);
      await exited;
      clearTimeout(killer);
    },
  };
}

/** The sum of a Prometheus counter over the series whose labels contain all of `labels`. */
export function counterValue(metrics: string, name: string, labels: Record<string, string> = {}): number {
  let sum = 0;
  for (const line of metrics.split("\n")) {
    if (!line.startsWith(name)) continue;
    const m = /^([a-zA-Z_:][\w:]*)(\{[^}]*\})?\s+(\S+)/.exec(line);
    if (!m || m[1] !== name) continue;
    const lbl = m[2] ?? "";
    if (Object.entries(labels).every(([k, v]) => lbl.includes(`${k}="${v}"`))) sum += Number(m[3]);
  }
  return sum;
}

/** GETs /metrics and reads one counter (summed over matching series). */
export async function readCounter(
  gateway: Gateway,
  name: string,
  labels: Record<string, string> = {},
): Promise<number> {
  const res = await fetch(new URL("metrics", gateway.url));
  if (!res.ok) throw new Error(`GET /metrics answered ${res.status}`);
  return counterValue(await res.text(), name, labels);
}

/** A running Spring Boot sample (samples/<name>), which serves the gateway's endpoints it mounts. */
export type Sample = Gateway;

const BOOT_STARTED = /\b(?:Tomcat|Netty|Jetty|Undertow) started on port (\d+)\b/;

/**
 * Starts a Spring Boot sample the way README says: `./samples/run <name> --server.port=0` from the
 * repository root (the script finds a JDK ≥ 21 and runs samples/<name>/target/<name>.jar, building it
 * when it is missing or older than a source; in the Maven build it was just built). Resolves with
 * `http://127.0.0.1:<port>/` once Boot logs the port its web server listens on.
 */
export async function startSample(name: string, options: { startTimeoutMs?: number } = {}): Promise<Sample> {
  const script = path.join(repoRoot, "samples", "run");
  if (!existsSync(script)) throw new Error(`no sample launcher at ${script}`);
  const args = [name, "--server.port=0", "--server.address=127.0.0.1"];
  const env = { ...process.env, NO_COLOR: "1" };
  return startProcess(`sample ${name}`, script, args, env, options.startTimeoutMs, (_stdout, all) => {
    const m = BOOT_STARTED.exec(all);
    return m ? `http://127.0.0.1:${m[1]}/` : undefined;
  });
}
