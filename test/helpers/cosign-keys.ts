/**
 * cosign key pairs for the signing tests, made by the pipeline's own cosign (built from the Go
 * proxy, tools-container.ts) through an SDK session on the engine: `cosign generate-key-pair`
 * with a random password. Returns the files' paths and the password.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connection, dag } from "@dagger.io/dagger";
import { built } from "../../ci/src/publish/engine/tools-container.js";
import { COSIGN, TOOLS_BASE } from "../../ci/src/publish/go-tools.js";
import { ensureEngine } from "../../local-engine/call/engine.js";
import { HOST_CA } from "./dagger-call.js";
import { projectRoot } from "./project.js";

export interface KeyPair {
  /** The encrypted private key (cosign.key) and the public key (cosign.pub). */
  key: string;
  pub: string;
  password: string;
  /** The base64 body of the private key's PEM, to search logs and layers for. */
  secretBody: string;
}

export async function cosignKeyPairs(count: number): Promise<KeyPair[]> {
  await ensureEngine(projectRoot, () => {});
  const pairs: KeyPair[] = [];
  await connection(async () => {
    const ca = dag.host().file(HOST_CA);
    for (let i = 0; i < count; i++) {
      const password = `s2i-${randomBytes(12).toString("hex")}`;
      const dir = mkdtempSync(join(tmpdir(), "s2i-cosign-"));
      // cosign alone: the same build as the module's, so either finds it in the engine's cache.
      const made = dag
        .container()
        .from(TOOLS_BASE)
        .withDirectory("/usr/local/bin", built(COSIGN, ca))
        .withSecretVariable("COSIGN_PASSWORD", dag.setSecret(`cosign-password-${i}-${randomBytes(4).toString("hex")}`, password))
        .withEnvVariable("S2I_RUN", `${Date.now()}-${i}`)
        .withWorkdir("/keys")
        .withExec(["cosign", "generate-key-pair"]);
      await made.file("/keys/cosign.key").export(join(dir, "cosign.key"));
      await made.file("/keys/cosign.pub").export(join(dir, "cosign.pub"));
      const key = join(dir, "cosign.key");
      const secretBody = readFileSync(key, "utf8")
        .split("\n")
        .filter((l) => l && !l.startsWith("-----"))
        .join("");
      pairs.push({ key, pub: join(dir, "cosign.pub"), password, secretBody });
    }
  });
  return pairs;
}
