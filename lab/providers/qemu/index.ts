// The default provider: four micro-VMs under qemu on this machine (KVM when it works, TCG
// otherwise), booted from the lab's own image, linked over unix sockets.

import { buildImage } from '../../image/build.ts';
import type { Provider } from '../provider.ts';
import { Farm } from './farm.ts';
import { findQemu } from './qemu.ts';

export const qemuProvider: Provider = {
  name: 'qemu',
  async unavailable() {
    try {
      await findQemu();
      return undefined;
    } catch (e) {
      return (e as Error).message;
    }
  },
  async boot(plan, options = {}) {
    const image = await buildImage();
    return await Farm.boot(plan, image, options);
  },
};
