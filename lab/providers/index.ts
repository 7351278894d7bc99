// The lab's providers by name. Imported statically: a lazy import() would, under mocha's
// CommonJS loading of the tests, load a second copy of the modules behind it (another
// LabError class, another set of live farms), and the clients of Docker and Vagrant cost only
// about 0.4 s to load on a machine that has neither.

import { LabError } from '../errors.ts';
import { dockerProvider } from './docker/index.ts';
import type { Provider } from './provider.ts';
import { qemuProvider } from './qemu/index.ts';
import { vagrantProvider } from './vagrant/index.ts';

export const PROVIDERS = {
  qemu: qemuProvider,
  vagrant: vagrantProvider,
  docker: dockerProvider,
} satisfies Record<string, Provider>;

export type ProviderName = keyof typeof PROVIDERS;
export const PROVIDER_NAMES = Object.keys(PROVIDERS) as ProviderName[];
export const DEFAULT_PROVIDER: ProviderName = 'qemu';

/** The provider called `name`, or a LabError naming the ones there are. */
export async function provider(name: string): Promise<Provider> {
  if (!(name in PROVIDERS)) throw new LabError(`There is no lab provider "${name}": choose one of ${PROVIDER_NAMES.join(', ')}.`);
  return PROVIDERS[name as ProviderName];
}
