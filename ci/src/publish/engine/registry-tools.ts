import { ReturnType, type Container, type File, type Secret, type Service } from "@dagger.io/dagger";
import { PASSWORD_VARIABLE, registryPreamble, TUNNEL_ALIAS } from "../registry-host.js";
import { toolsContainer } from "./tools-container.js";

/** How the tool containers reach a registry: its host, the credentials, and a tunnel for one on the caller's loopback. */
export interface RegistryAccess {
  host: string;
  username?: string;
  password?: Secret;
  service?: Service;
  extraCa?: File;
}

export interface ScriptRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * The tool container, able to reach the registry: the tunnel bound, the password a secret
 * variable, the login's config on a temporary mount. Never cached: the registry changes.
 */
export function registryTools(a: RegistryAccess): Container {
  let c = toolsContainer(a.extraCa).withMountedTemp("/root/.docker").withEnvVariable("S2I_RUN", `${Date.now()}-${Math.random()}`);
  if (a.service) c = c.withServiceBinding(TUNNEL_ALIAS, a.service);
  if (a.password) c = c.withSecretVariable(PASSWORD_VARIABLE, a.password);
  return c;
}

/** Runs script lines after the registry preamble; the exit code, stdout and stderr come back whatever they are. */
export async function runWithRegistry(c: Container, a: RegistryAccess, lines: string[]): Promise<ScriptRun> {
  const script = [...registryPreamble({ host: a.host, username: a.username, tunnel: Boolean(a.service) }), ...lines].join("\n");
  const done = await c.withExec(["sh", "-c", script], { expect: ReturnType.Any }).sync();
  return { code: await done.exitCode(), stdout: await done.stdout(), stderr: await done.stderr() };
}
