/** Memory a test's code retains: measured after a full collection, so that garbage not yet collected does not count. */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

/** Bytes of the V8 heap and of array buffers (Buffers) still reachable, after a full garbage collection. */
export function retainedBytes(): number {
  collectGarbage();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}
