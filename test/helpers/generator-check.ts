/**
 * A generator of checked-in files (`tools/generate-*.ts`) run with `--check`, in a child process: Prettier, which
 * formats the generated modules, loads its plugins by dynamic import, which jest refuses.
 */
import { spawnSync } from 'node:child_process';
import type { SpawnSyncReturns } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '../..');

export function runGeneratorCheck(script: string): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, ['-r', 'tsx/cjs', script, '--check'], { cwd: ROOT, encoding: 'utf8' });
}
