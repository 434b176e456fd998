/** The local Kinesis: kinesalite, started in this process on a loopback port (its CLI binds every interface). */
import kinesalite from 'kinesalite';
import { listen } from './dynalite';
import type { RunningEmulator } from './dynalite';

export interface KinesaliteOptions {
  /** 0 picks a free port. */
  readonly port?: number;
  /** Folder for LevelDB files; in memory when absent. */
  readonly path?: string;
}

export function startKinesalite(options: KinesaliteOptions = {}): Promise<RunningEmulator> {
  const server = kinesalite({
    createStreamMs: 0,
    deleteStreamMs: 0,
    updateStreamMs: 0,
    shardLimit: 64,
    ...(options.path ? { path: options.path } : {}),
  });
  return listen(server, options.port ?? 0, 'Kinesis (kinesalite)');
}
