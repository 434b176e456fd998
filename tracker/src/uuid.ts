/** A random (version 4) UUID: `crypto.randomUUID` where the page is a secure context, else from `getRandomValues`. */
export function uuid(): string {
  return crypto.randomUUID
    ? crypto.randomUUID()
    : '10000000-1000-4000-8000-100000000000'.replace(/[018]/g, (c) =>
        (+c ^ (crypto.getRandomValues(new Uint8Array(1))[0]! & (15 >> (+c / 4)))).toString(16),
      );
}
