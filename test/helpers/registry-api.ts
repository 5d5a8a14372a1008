/** Reads and writes images in a plain-HTTP registry (the local one): manifests, configs, layer blobs and tags. */
import { createHash } from "node:crypto";
import { gunzipSync } from "node:zlib";

const ACCEPT = [
  "application/vnd.oci.image.manifest.v1+json",
  "application/vnd.oci.image.index.v1+json",
  "application/vnd.docker.distribution.manifest.v2+json",
  "application/vnd.docker.distribution.manifest.list.v2+json",
].join(", ");

export interface Manifest {
  mediaType: string;
  config: { digest: string };
  layers: { digest: string; size: number; mediaType: string }[];
  annotations?: Record<string, string>;
}

/** `127.0.0.1:5000/ns/name@sha256:...` (or `:tag`) as registry, repository and reference. */
export function splitRef(ref: string): { registry: string; repo: string; reference: string } {
  const m = /^([^/]+)\/(.+?)(?::[^:/@]+)?(?:@(sha256:[0-9a-f]{64})|:([^:/@]+))$/.exec(ref);
  if (!m) throw new Error(`not an image reference: ${ref}`);
  return { registry: m[1], repo: m[2], reference: m[3] ?? m[4] };
}

async function get(url: string, accept?: string): Promise<Response> {
  const r = await fetch(url, accept ? { headers: { accept } } : undefined);
  if (!r.ok) throw new Error(`GET ${url}: ${r.status} ${await r.text()}`);
  return r;
}

export async function manifestOf(ref: string): Promise<{ digest: string; text: string; manifest: Manifest }> {
  const { registry, repo, reference } = splitRef(ref);
  const r = await get(`http://${registry}/v2/${repo}/manifests/${reference}`, ACCEPT);
  const text = await r.text();
  return { digest: r.headers.get("docker-content-digest") ?? "", text, manifest: JSON.parse(text) as Manifest };
}

/** A blob of a repository (`127.0.0.1:5000/ns/name`, no tag or digest). */
export async function blobOf(repository: string, digest: string): Promise<Buffer> {
  const [registry, ...path] = repository.split("/");
  const repo = path.join("/");
  return Buffer.from(await (await get(`http://${registry}/v2/${repo}/blobs/${digest}`)).arrayBuffer());
}

/** A layer blob as its uncompressed tar. */
export async function layerTar(repository: string, digest: string): Promise<Buffer> {
  const raw = await blobOf(repository, digest);
  return raw[0] === 0x1f && raw[1] === 0x8b ? gunzipSync(raw) : raw;
}

/** The tags of a repository (none when it does not exist). */
export async function tagsOf(registry: string, repo: string): Promise<string[]> {
  const r = await fetch(`http://${registry}/v2/${repo}/tags/list`);
  return r.ok ? (((await r.json()) as { tags: string[] | null }).tags ?? []) : [];
}

/** Uploads a blob (one monolithic PUT) and returns its digest. */
export async function putBlob(registry: string, repo: string, data: Buffer): Promise<string> {
  const digest = `sha256:${createHash("sha256").update(data).digest("hex")}`;
  const start = await fetch(`http://${registry}/v2/${repo}/blobs/uploads/`, { method: "POST" });
  if (start.status !== 202) throw new Error(`blob upload to ${repo}: ${start.status} ${await start.text()}`);
  const loc = new URL(start.headers.get("location")!, `http://${registry}`);
  loc.searchParams.set("digest", digest);
  const put = await fetch(loc, { method: "PUT", body: new Uint8Array(data), headers: { "content-type": "application/octet-stream" } });
  if (put.status !== 201) throw new Error(`blob upload to ${repo}: ${put.status} ${await put.text()}`);
  return digest;
}

/** Puts a manifest under a tag; returns its digest. */
export async function putManifest(registry: string, repo: string, tag: string, text: string, mediaType: string): Promise<string> {
  const r = await fetch(`http://${registry}/v2/${repo}/manifests/${tag}`, { method: "PUT", body: text, headers: { "content-type": mediaType } });
  if (r.status !== 201) throw new Error(`PUT manifest ${repo}:${tag}: ${r.status} ${await r.text()}`);
  return r.headers.get("docker-content-digest")!;
}
