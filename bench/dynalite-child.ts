/**
 * dynalite in a process of its own, for the capacity bench: listens on a free loopback port and sends the port
 * to its parent; asked `cpu`, answers with the CPU time it has used, microseconds.
 */
import { startDynalite } from '../local/emulators/dynalite';

void startDynalite().then((d) => process.send?.({ port: d.port }));
process.on('message', (m: unknown) => {
  if (m === 'cpu') {
    const { user, system } = process.cpuUsage();
    process.send?.({ cpuMicros: user + system });
  }
});
