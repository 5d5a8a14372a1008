/**
 * Registries of the publish tests besides the engine's mirror: Debian's docker-registry on
 * 127.0.0.1 (which the engine reaches over plain HTTP), with or without a login, its storage a
 * folder the caller can search.
 */
import { spawn, execFileSync, type ChildProcess } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface TestRegistry {
  address: string;
  storage: string;
  /** Stops it and removes its storage. */
  stop(): Promise<void>;
}

export async function startTestRegistry(port: number, login?: { user: string; password: string }): Promise<TestRegistry> {
  const dir = await mkdtemp(join(tmpdir(), "s2i-test-registry-"));
  const storage = join(dir, "data");
  let auth = "";
  if (login) {
    // bcrypt, the only hash docker-registry's htpasswd accepts, from the host's libcrypt.
    const hash = execFileSync(
      "python3",
      ["-W", "ignore", "-c", "import crypt, sys; print(crypt.crypt(sys.argv[1], crypt.mksalt(crypt.METHOD_BLOWFISH)))", login.password],
      { encoding: "utf8" },
    ).trim();
    await writeFile(join(dir, "htpasswd"), `${login.user}:${hash}\n`);
    auth = `auth:\n  htpasswd:\n    realm: s2i-test\n    path: ${join(dir, "htpasswd")}\n`;
  }
  const config = join(dir, "config.yml");
  await writeFile(
    config,
    `version: 0.1\nlog:\n  level: warn\nstorage:\n  filesystem:\n    rootdirectory: ${storage}\nhttp:\n  addr: 127.0.0.1:${port}\n${auth}`,
  );
  const address = `127.0.0.1:${port}`;
  let proc: ChildProcess | undefined;
  const start = async () => {
    proc = spawn("docker-registry", ["serve", config], { stdio: "ignore" });
    const ready = login ? 401 : 200;
    for (let i = 0; i < 50; i++) {
      const status = await fetch(`http://${address}/v2/`).then(
        (r) => r.status,
        () => 0,
      );
      if (status === ready) return;
      await new Promise((r) => setTimeout(r, 200));
    }
    proc.kill();
    throw new Error(`the test registry on ${address} did not answer ${ready} on /v2/`);
  };
  await start();
  return {
    address,
    storage,
    stop: async () => {
      proc?.kill();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
