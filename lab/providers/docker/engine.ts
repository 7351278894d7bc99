// Whether a Docker engine can run the lab: it answers, and its kernel has IPVS. Containers
// share the engine's kernel and cannot load modules, so ip_vs must already be loaded there.

import { existsSync, readFileSync } from 'node:fs';
import { homedir, hostname } from 'node:os';
import { join } from 'node:path';
import type Docker from 'dockerode';

/** Where dockerode looks for the engine: DOCKER_HOST, else the user's or the system's socket. */
export function engineAddress(env: NodeJS.ProcessEnv = process.env, home = homedir()): string {
  if (env.DOCKER_HOST) return env.DOCKER_HOST;
  const user = join(home, '.docker', 'run', 'docker.sock');
  return existsSync(user) ? `unix://${user}` : 'unix:///var/run/docker.sock';
}

export function unreachable(address: string, why: string): string {
  return `There is no Docker engine reachable at ${address} (${why}): start one (systemctl start docker) or point DOCKER_HOST at one.`;
}

export const IPVS_MISSING = 'The kernel the Docker engine runs on has no IPVS (module ip_vs) loaded, and containers share that kernel and cannot load modules: load it on the Docker host with "sudo modprobe ip_vs" (and the scheduler the scenario uses, e.g. "sudo modprobe ip_vs_sh").';

/** Whether ip_vs is in a kernel: built in or loaded (/sys/module/ip_vs), or listed in /proc/modules. */
export function ipvsLoaded(sysModuleIpVs: boolean, procModules: string | undefined): boolean {
  return sysModuleIpVs || /^ip_vs\s/m.test(procModules ?? '');
}

/** ip_vs on this machine's kernel, as the two files show it. */
export function localIpvsLoaded(): boolean {
  let modules: string | undefined;
  try {
    modules = readFileSync('/proc/modules', 'utf8');
  } catch { /* no /proc/modules: a kernel without modules, or no Linux */ }
  return ipvsLoaded(existsSync('/sys/module/ip_vs'), modules);
}

const withTimeout = <T>(p: Promise<T>, ms: number, what: string) =>
  Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${what} did not answer within ${ms / 1000} s`)), ms).unref())]);

/**
 * undefined when the engine answers and (if it runs on this machine's kernel) ip_vs is loaded;
 * otherwise one sentence on what is missing. An engine elsewhere (DOCKER_HOST, Docker Desktop's
 * VM) is checked for ip_vs inside the director container at boot instead.
 */
export async function engineProblem(docker: Docker, address = engineAddress()): Promise<string | undefined> {
  let info: { Name?: string };
  try {
    await withTimeout(docker.ping(), 5000, 'the engine');
    info = await withTimeout(docker.info() as Promise<{ Name?: string }>, 5000, 'the engine');
  } catch (e) {
    return unreachable(address, (e as Error).message.split('\n')[0]!);
  }
  const local = process.platform === 'linux' && info.Name === hostname();
  if (local && !localIpvsLoaded()) return IPVS_MISSING;
  return undefined;
}
