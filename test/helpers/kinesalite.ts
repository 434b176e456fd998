/** A kinesalite emulator and a scratch folder for one test file: started before its tests, removed after. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startKinesalite } from '../../local/emulators/kinesalite';
import type { RunningEmulator } from '../../local/emulators/dynalite';

export interface KinesaliteFixture {
  /** The running emulator (available once `beforeAll` has run). */
  readonly emulator: () => RunningEmulator;
  /** The scratch folder. */
  readonly dir: () => string;
}

/** Registers `beforeAll`/`afterAll` hooks that start kinesalite and make a folder named from `prefix`. */
export function useKinesalite(prefix: string): KinesaliteFixture {
  let emulator: RunningEmulator | undefined;
  let dir: string | undefined;
  beforeAll(async () => {
    emulator = await startKinesalite();
    dir = mkdtempSync(join(tmpdir(), prefix));
  });
  afterAll(async () => {
    await emulator?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  return {
    emulator: () => emulator ?? fail('kinesalite has not started: use the fixture inside a test'),
    dir: () => dir ?? fail('the scratch folder does not exist yet: use the fixture inside a test'),
  };
}

function fail(message: string): never {
  throw new Error(message);
}
