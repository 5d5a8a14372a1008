/**
 * A stand-in for the Dagger engine's GraphQL endpoint, for tests without an engine.
 *
 * The npm SDK sends every awaited chain as one query to http://127.0.0.1:$PORT/query.
 * This server records each query and answers by the chain's last field (the "leaf"):
 * ids for objects passed as arguments, file contents and globs from a folder on disk for
 * `host.directory(...)` chains, the contents given to withNewFile for files written in the
 * chain, and simple defaults for the rest. A test can override any answer or inject an
 * engine error, such as the EXEC_ERROR the SDK turns into an ExecError.
 */
import { createServer, type Server } from "node:http";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import type { AddressInfo } from "node:net";

/** An engine error, as the engine puts it in a GraphQL error's extensions. */
export interface EngineError {
  message: string;
  extensions?: { _type: "EXEC_ERROR"; cmd: string[]; exitCode: number; stdout: string; stderr: string } | Record<string, unknown>;
}

export function execError(cmd: string[], stderr: string, exitCode = 1, stdout = ""): EngineError {
  return { message: `process "${cmd.join(" ")}" did not complete successfully: exit code: ${exitCode}`, extensions: { _type: "EXEC_ERROR", cmd, exitCode, stdout, stderr } };
}

/** What a test's hook returns: a value, an error, or undefined for the default answer. */
export type Answer = { value: unknown } | { error: EngineError } | undefined;

export interface FakeEngine {
  port: number;
  token: string;
  /** Every query received, in order. */
  queries: string[];
  /** Overrides answers; called for every query with its leaf field name. */
  answer: (query: string, leaf: string) => Answer;
  /**
   * The query with every object id it passes replaced by the query that produced that id,
   * so a test sees the whole chain (an object passed as an argument is sent as its id).
   */
  expand(query: string): string;
  reset(): void;
  close(): Promise<void>;
}

/** String literals replaced by "", so parentheses and braces inside them do not confuse the leaf search. */
export function withoutStrings(query: string): string {
  return query.replace(/"(?:[^"\\]|\\.)*"/g, '""');
}

/** The last field of a query: `{ a { b (x: 1) { c } } }` → "c". */
export function leafOf(query: string): string {
  const m = /(\w+)\s*(?:\([^()]*\))?\s*(?:\}\s*)+$/.exec(withoutStrings(query));
  return m ? m[1] : "";
}

/** The string values of every `name: "..."` argument in a query, in order. */
export function stringArgs(query: string, name: string): string[] {
  const re = new RegExp(`\\b${name}: ("(?:[^"\\\\]|\\\\.)*")`, "g");
  return [...query.matchAll(re)].map((m) => JSON.parse(m[1]) as string);
}

export async function startFakeEngine(root: string): Promise<FakeEngine> {
  let ids = 0;
  const idOrigin = new Map<string, string>();
  const engine: FakeEngine = {
    port: 0,
    token: "fake-token",
    queries: [],
    answer: () => undefined,
    expand(query: string): string {
      return query.replace(/"(fake-id-\d+)"/g, (whole, id: string) => {
        const origin = idOrigin.get(id);
        return origin === undefined ? whole : ` <<${engine.expand(origin)}>> `;
      });
    },
    reset() {
      engine.queries.length = 0;
      idOrigin.clear();
      engine.answer = () => undefined;
    },
    close: () => new Promise((res) => server.close(() => res())),
  };

  const defaultAnswer = (query: string, leaf: string): unknown => {
    switch (leaf) {
      case "id":
      case "sync": {
        const id = `fake-id-${++ids}`;
        idOrigin.set(id, query);
        return id;
      }
      case "contents":
        return fileContents(root, query);
      case "glob":
        return globFiles(root, query);
      case "exitCode":
        return 0;
      case "publish": {
        const address = stringArgs(query, "address").pop() ?? "unknown";
        return `${address}@sha256:${"0123456789abcdef".repeat(4)}`;
      }
      case "entries":
        return [];
      default:
        return "";
    }
  };

  const server: Server = createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      const { query } = JSON.parse(body) as { query: string };
      const q = query.trim();
      engine.queries.push(q);
      const leaf = leafOf(q);
      let reply: unknown;
      try {
        const a = engine.answer(q, leaf);
        if (a && "error" in a) reply = { data: null, errors: [{ message: a.error.message, path: [leaf], extensions: a.error.extensions }] };
        else reply = { data: { result: a ? a.value : defaultAnswer(q, leaf) } };
      } catch (e) {
        reply = { data: null, errors: [{ message: `fake engine: ${(e as Error).message}` }] };
      }
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify(reply));
    });
  });
  await new Promise<void>((res) => server.listen(0, "127.0.0.1", () => res()));
  engine.port = (server.address() as AddressInfo).port;
  return engine;
}

/**
 * The folder a `host { directory (path: ROOT) { directory (path: d) ... } }` chain names,
 * relative to the fake's root, or undefined when the chain does not start on the host.
 */
function hostPath(root: string, query: string): { dir: string; file?: string } | undefined {
  const m = /^\{\s*host\s*\{\s*directory\s*\(path: ("(?:[^"\\]|\\.)*")\)/.exec(query);
  if (!m) return undefined;
  let dir = JSON.parse(m[1]) as string;
  let file: string | undefined;
  const rest = query.slice(m[0].length);
  for (const step of rest.matchAll(/\s*\{\s*(directory|file)\s*\(path: ("(?:[^"\\]|\\.)*")\)/gy)) {
    if (step[1] === "directory") dir = join(dir, JSON.parse(step[2]) as string);
    else file = JSON.parse(step[2]) as string;
  }
  return { dir: dir.startsWith("/") ? dir : join(root, dir), file };
}

function fileContents(root: string, query: string): string {
  const host = hostPath(root, query);
  if (host?.file) return readFileSync(join(host.dir, host.file), "utf8");
  // A file written earlier in the same chain: the last withNewFile with that path.
  const wanted = stringArgs(query, "path").pop();
  const written = [...query.matchAll(/withNewFile\s*\(path: ("(?:[^"\\]|\\.)*"),\s*contents: ("(?:[^"\\]|\\.)*")/g)];
  const hit = written.reverse().find((w) => JSON.parse(w[1]) === wanted);
  return hit ? (JSON.parse(hit[2]) as string) : "";
}

/** Directories come back with a trailing "/", as the engine marks them. */
function globFiles(root: string, query: string): string[] {
  const host = hostPath(root, query);
  if (!host || !existsSync(host.dir)) return [];
  const pattern = stringArgs(query, "pattern").pop() ?? "**/*";
  if (!pattern.includes("*")) return existsSync(join(host.dir, pattern)) ? [pattern] : [];
  const out: string[] = [];
  const walk = (rel: string) => {
    for (const name of readdirSync(join(host.dir, rel))) {
      const p = rel ? `${rel}/${name}` : name;
      if (statSync(join(host.dir, p)).isDirectory()) {
        out.push(`${p}/`);
        walk(p);
      } else out.push(p);
    }
  };
  walk("");
  return out;
}
