/** dynalite in a process of its own, for the capacity bench: listens on a free loopback port and sends the port to its parent. */
import { startDynalite } from '../local/emulators/dynalite';

void startDynalite().then((d) => process.send?.({ port: d.port }));
