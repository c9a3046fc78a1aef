// The facts a reader needs to judge the numbers: when, on what machine, with which Node binaries.
import { spawnSync } from 'node:child_process';
import { availableParallelism, cpus, loadavg, totalmem, release, platform, arch } from 'node:os';

export function nodeVersion(binary) {
  const result = spawnSync(binary, ['--version'], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${binary} --version failed: ${result.stderr || result.error}`);
  return result.stdout.trim();
}

/** 1-minute load average: another busy process on a 2-core machine shows up here. */
export function loadAverage() {
  return Math.round(loadavg()[0] * 100) / 100;
}

export function machine() {
  return {
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
    cores: availableParallelism(),
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    os: `${platform()} ${release()} ${arch()}`,
  };
}
