/** The local DynamoDB: dynalite, started in this process on a loopback port. */
import type { Server } from 'node:http';
import dynalite from 'dynalite';

export interface RunningEmulator {
  readonly endpoint: string;
  readonly port: number;
  close(): Promise<void>;
}

export interface DynaliteOptions {
  /** 0 picks a free port. */
  readonly port?: number;
  /** Folder for LevelDB files; in memory when absent. */
  readonly path?: string;
}

/** Starts dynalite on 127.0.0.1; rejects with an actionable message when the port is taken. */
export function startDynalite(options: DynaliteOptions = {}): Promise<RunningEmulator> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0, ...(options.path ? { path: options.path } : {}) });
  return listen(server, options.port ?? 0, 'DynamoDB (dynalite)');
}

/** Listens on loopback and resolves with the endpoint. */
export function listen(server: Server, port: number, what: string): Promise<RunningEmulator> {
  return new Promise((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EADDRINUSE')
        reject(new Error(`${what}: port ${port} on 127.0.0.1 is in use; pick another port or stop what holds it`));
      else reject(err);
    });
    server.listen(port, '127.0.0.1', () => {
      const address = server.address();
      const actual = typeof address === 'object' && address ? address.port : port;
      resolve({
        endpoint: `http://127.0.0.1:${actual}`,
        port: actual,
        close: () => new Promise<void>((done) => server.close(() => done())),
      });
    });
  });
}
