/**
 * The front door on this machine: the collector API (API Gateway modelled, see local/aws/api-gateway) and the
 * demo site that carries the tracker, each on its own loopback port, as a site and its collector are two
 * origins in AWS.
 */
import type { KinesisClient } from '@aws-sdk/client-kinesis';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { COLLECT_PATH } from '../../collector/protocol';
import { CollectorApi } from '../aws/api-gateway/collector-api';
import { DemoSite } from '../demo-site/site';
import { listen } from '../emulators/dynalite';
import type { RunningEmulator } from '../emulators/dynalite';

export interface LocalCollectorOptions {
  readonly kinesis: KinesisClient;
  readonly streamName: string;
  /** The collector's port (0 picks a free one); the demo site takes the next one, or a free one. */
  readonly port?: number;
  /** Origins besides the demo site's whose scripts may read the collector's answers. */
  readonly allowedOrigins: readonly string[];
  readonly rateLimit: number;
  readonly burstLimit: number;
}

/** Requests the collector answered, by status, and the events Kinesis took. */
export interface CollectorCounts {
  readonly byStatus: Map<number, number>;
  acceptedEvents: number;
  /** Requests received and not yet answered. */
  inFlight: number;
}

export class LocalCollector {
  private constructor(
    /** `POST` events here. */
    readonly collectUrl: string,
    /** The demo site's home page. */
    readonly siteUrl: string,
    private readonly servers: readonly RunningEmulator[],
    readonly counts: CollectorCounts,
  ) {}

  static async start(o: LocalCollectorOptions): Promise<LocalCollector> {
    const port = o.port ?? 0;
    const counts: CollectorCounts = { byStatus: new Map(), acceptedEvents: 0, inFlight: 0 };
    // The site's origin is known only once it listens; the API reads the list when it answers.
    const origins: string[] = [...o.allowedOrigins];
    const api = new CollectorApi({
      kinesis: o.kinesis,
      streamName: o.streamName,
      allowedOrigins: origins,
      rateLimit: o.rateLimit,
      burstLimit: o.burstLimit,
      onAnswer: (status, accepted) => {
        counts.byStatus.set(status, (counts.byStatus.get(status) ?? 0) + 1);
        counts.acceptedEvents += accepted;
      },
    });
    const apiServer = await listen(createServer(handler(api, counts)), port, 'collector');
    const collectUrl = `${apiServer.endpoint}${COLLECT_PATH}`;
    try {
      const site = new DemoSite({ collectorUrl: collectUrl });
      const siteServer = await listen(createServer(handler(site)), port === 0 ? 0 : port + 1, 'demo site');
      origins.push(siteServer.endpoint);
      return new LocalCollector(collectUrl, `${siteServer.endpoint}/`, [apiServer, siteServer], counts);
    } catch (err) {
      await apiServer.close();
      throw err;
    }
  }

  /** Resolves once every request received so far has been answered (a client may have gone before its answer). */
  async settled(): Promise<void> {
    while (this.counts.inFlight > 0) await new Promise((resolve) => setTimeout(resolve, 20));
  }

  async close(): Promise<void> {
    for (const server of this.servers) await server.close();
  }
}

function handler(target: { handle(req: IncomingMessage, res: ServerResponse): Promise<void> }, counts?: CollectorCounts) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    if (counts) counts.inFlight += 1;
    target
      .handle(req, res)
      .catch((err: unknown) => {
        if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ message: `internal error: ${(err as Error).message}` }));
      })
      .finally(() => {
        if (counts) counts.inFlight -= 1;
      });
  };
}
