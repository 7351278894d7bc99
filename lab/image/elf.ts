// Shared-library closure of a set of programs: each ELF file's NEEDED entries (readelf -d),
// looked up in the library folders of the unpacked packages, recursively.

import { existsSync, openSync, readSync, closeSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { LabError } from '../errors.ts';
import { run } from '../run.ts';

const LIB_DIRS = ['/lib/x86_64-linux-gnu', '/usr/lib/x86_64-linux-gnu', '/lib64', '/lib', '/usr/lib'];

export function isElf(file: string): boolean {
  const fd = openSync(file, 'r');
  try {
    const b = Buffer.alloc(4);
    return readSync(fd, b, 0, 4, 0) === 4 && b.toString('latin1') === '\x7fELF';
  } finally {
    closeSync(fd);
  }
}

export async function needed(file: string): Promise<string[]> {
  const { stdout } = await run('readelf', ['-d', '-W', file]);
  return [...stdout.matchAll(/\(NEEDED\)\s+Shared library: \[([^\]]+)\]/g)].map((m) => m[1]!);
}

/** The file a soname resolves to inside `root`, as [path inside the image, real file on disk]. */
export function findLibrary(root: string, soname: string): [string, string] | undefined {
  for (const dir of LIB_DIRS) {
    const p = join(root, dir, soname);
    if (existsSync(p)) return [`${dir}/${soname}`, realpathSync(p)];
  }
  return undefined;
}

/**
 * Every library the given ELF files need, transitively: a map from the path inside the image
 * to the file on disk. A library no unpacked package provides is an error naming it.
 */
export async function libraryClosure(root: string, elfFiles: string[], extra: string[] = []): Promise<Map<string, string>> {
  const libs = new Map<string, string>();
  const seen = new Set<string>();
  const queue: string[] = [...elfFiles];
  const want = (soname: string, by: string) => {
    if (seen.has(soname)) return;
    seen.add(soname);
    const found = findLibrary(root, soname);
    if (!found) throw new LabError(`The image needs ${soname} (for ${by}) but no downloaded package provides it; add its package to lab/image/packages.ts.`);
    libs.set(found[0], found[1]);
    queue.push(found[1]);
  };
  for (const soname of extra) if (findLibrary(root, soname)) want(soname, 'dlopen');
  while (queue.length > 0) {
    const file = queue.shift()!;
    // Run readelf on a few files at once: hundreds of libraries and plugins are common.
    const batch = [file, ...queue.splice(0, 7)];
    const results = await Promise.all(batch.map((f) => needed(f).then((n) => [f, n] as const)));
    for (const [f, names] of results) for (const n of names) want(n, f.replace(root, ''));
  }
  // The dynamic loader is named by absolute path (PT_INTERP), not as NEEDED.
  const ld = findLibrary(root, 'ld-linux-x86-64.so.2');
  if (ld) libs.set(ld[0], ld[1]);
  return libs;
}
