// Vagrant: the lab's four hosts as whole Debian 12 VMs under VirtualBox or libvirt, from the
// top-level Vagrantfile. Real VMs with real NICs, on a workstation; slow to boot (a box
// import, apt-get and a reboot per VM), so not the default.

import { LabError } from '../../errors.ts';
import type { Provider } from '../provider.ts';
import { VagrantFarm } from './farm.ts';
import { chooseHypervisor, hostTools } from './hypervisor.ts';

export const vagrantProvider: Provider = {
  name: 'vagrant',
  async unavailable() {
    const choice = chooseHypervisor(await hostTools());
    return 'missing' in choice ? choice.missing : undefined;
  },
  async boot(plan, options = {}) {
    const choice = chooseHypervisor(await hostTools());
    if ('missing' in choice) throw new LabError(choice.missing);
    return await VagrantFarm.boot(plan, choice.hypervisor, options);
  },
};
