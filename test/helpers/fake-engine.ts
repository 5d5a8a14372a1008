/**
 * A stand-in for the Dagger engine's GraphQL endpoint, only for what no engine can answer:
 * that bad input sends no query at all. The npm SDK sends every awaited chain as one query
 * to http://127.0.0.1:$PORT/query; this server records each one and answers reads of the
 * checkout (`host.directory(...)` chains: file contents and globs) from disk, ids for
 * objects, and empty defaults for the rest.
 */
import { createServer, type Server } from "node:http";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import type { AddressInfo } from "node:net";

export interface FakeEngine {
  port: number;
  token: string;
  /** Every query received, in order. */
  queries: string[];
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
  const engine: FakeEngine = {
    port: 0,
    token: "fake-token",
    queries: [],
    reset() {
      engine.queries.length = 0;
    },
    close: () => new Promise((res) => server.close(() => res())),
  };

  const answer = (query: string, leaf: string): unknown => {
    switch (leaf) {
      case "id":
      case "sync":
        return `fake-id-${++ids}`;
      case "contents":
        return fileContents(root, query);
      case "glob":
        return globFiles(root, query);
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
      let reply: unknown;
      try {
        reply = { data: { result: answer(q, leafOf(q)) } };
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
