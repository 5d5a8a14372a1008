/**
 * A second local registry that asks for a login (Debian's docker-registry with an htpasswd
 * file), for the publish tests' refused and accepted pushes. On 127.0.0.1, which the engine
 * reaches over plain HTTP. Its storage is a temporary folder the caller can search.
 */
import { spawn, execFileSync, type ChildProcess } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface AuthRegistry {
  address: string;
  storage: string;
  stop(): Promise<void>;
}

export async function startAuthRegistry(port: number, user: string, password: string): Promise<AuthRegistry> {
  const dir = await mkdtemp(join(tmpdir(), "s2i-auth-registry-"));
  // bcrypt, the only hash docker-registry's htpasswd accepts, from the host's libcrypt.
  const hash = execFileSync(
    "python3",
    ["-W", "ignore", "-c", "import crypt, sys; print(crypt.crypt(sys.argv[1], crypt.mksalt(crypt.METHOD_BLOWFISH)))", password],
    { encoding: "utf8" },
  ).trim();
  await writeFile(join(dir, "htpasswd"), `${user}:${hash}\n`);
  const storage = join(dir, "data");
  await writeFile(
    join(dir, "config.yml"),
    `version: 0.1\nlog:\n  level: warn\nstorage:\n  filesystem:\n    rootdirectory: ${storage}\nhttp:\n  addr: 127.0.0.1:${port}\nauth:\n  htpasswd:\n    realm: s2i-test\n    path: ${join(dir, "htpasswd")}\n`,
  );
  const proc: ChildProcess = spawn("docker-registry", ["serve", join(dir, "config.yml")], { stdio: "ignore" });
  const address = `127.0.0.1:${port}`;
  for (let i = 0; i < 50; i++) {
    const status = await fetch(`http://${address}/v2/`).then(
      (r) => r.status,
      () => 0,
    );
    if (status === 401) return { address, storage, stop: async () => (proc.kill(), await rm(dir, { recursive: true, force: true })) };
    await new Promise((r) => setTimeout(r, 200));
  }
  proc.kill();
  throw new Error(`the login registry on ${address} did not answer 401 on /v2/`);
}
