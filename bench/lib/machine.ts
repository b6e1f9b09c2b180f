// What the numbers were measured on: ratios travel between machines, absolute times do not.
import os from "node:os";

export interface MachineInfo {
  cpu: string;
  cores: number;
  node: string;
  platform: string;
  totalMemoryGiB: number;
}

export function machineInfo(): MachineInfo {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model.trim() ?? "unknown",
    cores: cpus.length,
    node: process.version,
    platform: `${os.platform()} ${os.release()} (${os.arch()})`,
    totalMemoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
  };
}
