// The emulators ship without type declarations; each returns an http.Server.
declare module 'dynalite' {
  function dynalite(options?: Record<string, unknown>): import('node:http').Server;
  export = dynalite;
}
declare module 'kinesalite' {
  function kinesalite(options?: Record<string, unknown>): import('node:http').Server;
  export = kinesalite;
}
