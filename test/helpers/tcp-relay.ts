/**
 * A TCP relay on 127.0.0.1 to a server, for the fault tests: cut, it destroys every connection
 * at once and stops listening, so a client meets what it meets when the server's process dies
 * (its connections broken mid-request, new ones refused), while the server itself lives on and
 * keeps a consistent state; reopened, it listens on the same port again.
 */
import { createConnection, createServer, type Server, type Socket } from "node:net";

export interface TcpRelay {
  /** 127.0.0.1:PORT, the address clients use instead of the server's. */
  address: string;
  port: number;
  /** Breaks every open connection and refuses new ones. */
  cut(): void;
  /** Listens again on the same port. */
  reopen(): Promise<void>;
}

export async function startTcpRelay(to: { host: string; port: number }): Promise<TcpRelay> {
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  const listen = (port: number) =>
    new Promise<number>((ok, fail) => {
      server = createServer((client) => {
        const upstream = createConnection(to.port, to.host);
        for (const s of [client, upstream]) {
          sockets.add(s);
          s.on("error", () => {});
          s.on("close", () => sockets.delete(s));
        }
        client.pipe(upstream).pipe(client);
      });
      server.once("error", fail);
      server.listen(port, "127.0.0.1", () => ok((server!.address() as { port: number }).port));
    });
  const port = await listen(0);
  const cut = () => {
    for (const s of sockets) s.destroy();
    server?.close();
    server = undefined;
  };
  return {
    address: `127.0.0.1:${port}`,
    port,
    cut,
    reopen: async () => {
      await listen(port);
    },
  };
}
