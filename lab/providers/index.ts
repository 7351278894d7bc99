// The lab's providers by name. Each is loaded only when asked for, so a machine without Docker
// or Vagrant never loads their clients.

import { LabError } from '../errors.ts';
import type { Provider } from './provider.ts';

export const PROVIDERS = {
  qemu: async () => (await import('./qemu/index.ts')).qemuProvider,
} satisfies Record<string, () => Promise<Provider>>;

export type ProviderName = keyof typeof PROVIDERS;
export const PROVIDER_NAMES = Object.keys(PROVIDERS) as ProviderName[];
export const DEFAULT_PROVIDER: ProviderName = 'qemu';

/** The provider called `name`, or a LabError naming the ones there are. */
export async function provider(name: string): Promise<Provider> {
  if (!(name in PROVIDERS)) throw new LabError(`There is no lab provider "${name}": choose one of ${PROVIDER_NAMES.join(', ')}.`);
  return await PROVIDERS[name as ProviderName]();
}
