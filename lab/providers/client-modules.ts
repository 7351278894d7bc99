// The npm packages the client's node needs (autocannon, for the capacity phase), taken from
// this checkout's node_modules as the micro-VM image takes them (lab/image/node-modules.ts),
// as tar entries for the providers that copy them into their client: they belong under
// CLIENT_NODE_MODULES there, where lab/guest/capacity.mjs requires them from.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageClosure, packageFiles } from '../image/node-modules.ts';
import { CLIENT_NPM } from '../image/packages.ts';
import type { TarEntry } from './tar.ts';

export { CLIENT_NODE_MODULES } from '../image/packages.ts';

const NODE_MODULES = join(import.meta.dirname, '..', '..', 'node_modules');

/** Every file of the packages and their dependencies, as `<into>/<package path>/<file>`. */
export function clientModuleEntries(into: string): TarEntry[] {
  const out: TarEntry[] = [];
  for (const p of packageClosure(NODE_MODULES, CLIENT_NPM)) {
    const from = join(NODE_MODULES, p.path);
    for (const f of packageFiles(from)) out.push({ path: `${into}/${p.path}/${f}`, data: readFileSync(join(from, f)) });
  }
  return out;
}
