// The emulators ship without type declarations; each returns an http.Server.
declare module 'dynalite' {
  import type { Server } from 'node:http';
  function dynalite(options?: Record<string, unknown>): Server;
  export = dynalite;
}
declare module 'kinesalite' {
  import type { Server } from 'node:http';
  function kinesalite(options?: Record<string, unknown>): Server;
  export = kinesalite;
}
