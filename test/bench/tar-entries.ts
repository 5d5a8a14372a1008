/**
 * The entries of an (uncompressed) tar stream, as an image layer holds them: path, type, mode,
 * owner, mtime (PAX sub-second times kept), link target and a digest of the content. Reads
 * ustar headers, PAX extended headers (x, g) and GNU long names (L, K).
 */
import { createHash } from "node:crypto";

export interface TarEntry {
  path: string;
  type: string;
  mode: number;
  uid: number;
  gid: number;
  mtime: string;
  size: number;
  link: string;
  sha256: string;
  /** PAX records other than the ones above (xattrs, ...), as key=value. */
  pax: string[];
}

const str = (b: Buffer, at: number, len: number) =>
  b
    .subarray(at, at + len)
    .toString("utf8")
    .replace(/\0.*$/s, "");
const octal = (b: Buffer, at: number, len: number) => parseInt(str(b, at, len).trim() || "0", 8);

function paxRecords(data: Buffer): Map<string, string> {
  const out = new Map<string, string>();
  let i = 0;
  while (i < data.length) {
    const space = data.indexOf(0x20, i);
    if (space < 0) break;
    const len = Number(data.subarray(i, space).toString());
    if (!len) break;
    const rec = data.subarray(space + 1, i + len - 1).toString("utf8");
    const eq = rec.indexOf("=");
    out.set(rec.slice(0, eq), rec.slice(eq + 1));
    i += len;
  }
  return out;
}

export function tarEntries(tar: Buffer): TarEntry[] {
  const entries: TarEntry[] = [];
  let pax = new Map<string, string>();
  let longName: string | undefined;
  let longLink: string | undefined;
  let at = 0;
  while (at + 512 <= tar.length) {
    const h = tar.subarray(at, at + 512);
    if (h.every((x) => x === 0)) break;
    const size = octal(h, 124, 12);
    const type = String.fromCharCode(h[156] || 0x30);
    const data = tar.subarray(at + 512, at + 512 + size);
    at += 512 + Math.ceil(size / 512) * 512;
    if (type === "x") {
      pax = paxRecords(data);
      continue;
    }
    if (type === "g") continue;
    if (type === "L") {
      longName = data.toString("utf8").replace(/\0.*$/s, "");
      continue;
    }
    if (type === "K") {
      longLink = data.toString("utf8").replace(/\0.*$/s, "");
      continue;
    }
    const prefix = str(h, 345, 155);
    const name = longName ?? pax.get("path") ?? (prefix ? `${prefix}/${str(h, 0, 100)}` : str(h, 0, 100));
    const known = new Set(["path", "linkpath", "mtime", "size", "uid", "gid", "atime", "ctime"]);
    entries.push({
      path: name.replace(/^\.?\//, ""),
      type,
      mode: octal(h, 100, 8),
      uid: Number(pax.get("uid") ?? octal(h, 108, 8)),
      gid: Number(pax.get("gid") ?? octal(h, 116, 8)),
      mtime: pax.get("mtime") ?? String(octal(h, 136, 12)),
      size,
      link: longLink ?? pax.get("linkpath") ?? str(h, 157, 100),
      sha256: createHash("sha256").update(data).digest("hex"),
      pax: [...pax].filter(([k]) => !known.has(k)).map(([k, v]) => `${k}=${v.length > 40 ? createHash("sha256").update(v).digest("hex").slice(0, 12) : v}`),
    });
    pax = new Map();
    longName = longLink = undefined;
  }
  return entries;
}

/** How two layers' entries differ, path by path: each path once, with what differs. */
export function diffEntries(a: TarEntry[], b: TarEntry[]): { path: string; what: string[] }[] {
  const byPath = (es: TarEntry[]) => new Map(es.map((e) => [e.path, e]));
  const [ma, mb] = [byPath(a), byPath(b)];
  const out: { path: string; what: string[] }[] = [];
  for (const path of [...new Set([...ma.keys(), ...mb.keys()])].sort()) {
    const [x, y] = [ma.get(path), mb.get(path)];
    if (!x || !y) {
      out.push({ path, what: [x ? "only in the first" : "only in the second"] });
      continue;
    }
    const what: string[] = (["type", "mode", "uid", "gid", "link", "mtime", "sha256"] as const)
      .filter((k) => x[k] !== y[k])
      .map((k) => (k === "sha256" ? "content" : k));
    if (x.pax.join() !== y.pax.join()) what.push("pax records");
    if (what.length) out.push({ path, what });
  }
  return out;
}
