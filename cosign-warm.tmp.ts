import { readFileSync } from "node:fs";
import { connection, dag } from "@dagger.io/dagger";
import { built } from "/work/wt17/ci/src/publish/engine/tools-container.ts";
import { COSIGN } from "/work/wt17/ci/src/publish/go-tools.ts";
await connection(async () => {
  const ca = dag.setSecret("extra-ca", readFileSync("/etc/ssl/certs/ca-certificates.crt", "utf8"));
  const t0 = Date.now();
  console.log(await built(COSIGN, ca).entries(), (Date.now() - t0) / 1000);
});
