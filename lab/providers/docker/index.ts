// Docker: the lab's four hosts as containers on a Linux Docker engine with ip_vs loaded. The
// fastest provider, but the containers share the engine's kernel, so a power cut is a
// container kill and a cable pull a network disconnect.

import Docker from 'dockerode';
import { LabError } from '../../errors.ts';
import type { Provider } from '../provider.ts';
import { engineAddress, engineProblem, unreachable } from './engine.ts';
import { DockerFarm } from './farm.ts';

/** The engine dockerode finds (DOCKER_HOST or the default socket), or why there is none. */
function engine(): Docker | string {
  try {
    return new Docker();
  } catch (e) {
    return unreachable(engineAddress(), (e as Error).message);
  }
}

export const dockerProvider: Provider = {
  name: 'docker',
  async unavailable() {
    const docker = engine();
    return typeof docker === 'string' ? docker : await engineProblem(docker);
  },
  async boot(plan, options = {}) {
    const docker = engine();
    if (typeof docker === 'string') throw new LabError(docker);
    const problem = await engineProblem(docker);
    if (problem) throw new LabError(problem);
    return await DockerFarm.boot(docker, plan, options);
  },
};
