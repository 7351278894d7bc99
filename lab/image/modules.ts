// Kernel modules and their load order. Debian's package ships the .ko files but not
// modules.dep (depmod runs at install), so dependencies are read from each module's
// .modinfo section ("depends=a,b") with readelf, and the list is ordered dependencies first.

import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { LabError } from '../errors.ts';
import { run } from '../run.ts';

function indexModules(dir: string, out = new Map<string, string>()): Map<string, string> {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) indexModules(p, out);
    else if (e.name.endsWith('.ko')) out.set(e.name.slice(0, -3).replaceAll('-', '_'), p);
  }
  return out;
}

async function dependsOf(file: string): Promise<string[]> {
  const { stdout } = await run('readelf', ['-p', '.modinfo', '-W', file]);
  const m = /\]\s+depends=([^\n]*)/.exec(stdout);
  return m && m[1]!.trim() ? m[1]!.trim().split(',').map((s) => s.replaceAll('-', '_')) : [];
}

/** The modules to load, dependencies first, as files under `moduleDir` (lib/modules/<version>). */
export async function moduleLoadOrder(moduleDir: string, wanted: readonly string[]): Promise<string[]> {
  const index = indexModules(join(moduleDir, 'kernel'));
  const deps = new Map<string, string[]>();
  const visit = async (name: string, by: string): Promise<void> => {
    if (deps.has(name)) return;
    const file = index.get(name);
    if (!file) throw new LabError(`The kernel package has no module ${name} (wanted by ${by}); it may be built in or renamed in this kernel version.`);
    const d = await dependsOf(file);
    deps.set(name, d);
    for (const x of d) await visit(x, name);
  };
  for (const m of wanted) await visit(m, 'lab/image/packages.ts');
  const order: string[] = [];
  const done = new Set<string>();
  const place = (name: string) => {
    if (done.has(name)) return;
    done.add(name);
    for (const d of deps.get(name) ?? []) place(d);
    order.push(index.get(name)!);
  };
  for (const m of wanted) place(m);
  return order;
}
