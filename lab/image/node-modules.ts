// The npm packages the client VM's node needs (autocannon for the capacity phase), taken from
// this checkout's node_modules as npm installed them: a package and, transitively, every
// dependency, each found the way node's require finds it (the nearest node_modules folder
// upwards from the package that needs it).

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { CLIENT_NPM } from './packages.ts';
import { LabError } from '../errors.ts';

export interface NodePackage {
  name: string;
  version: string;
  /** Its folder, relative to the top node_modules ("autocannon", "a/node_modules/b"). */
  path: string;
}

interface Manifest {
  name: string;
  version: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

/** The folder require() would load `name` from when asked by the package in `from`. */
function resolveFrom(top: string, from: string, name: string): string | undefined {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    if (relative(dirname(top), dir) === '' || dir === dirname(dir)) return undefined;
  }
}

/** `roots` and everything they depend on, in `top` (a node_modules folder); sorted by path. */
export function packageClosure(top: string, roots: readonly string[]): NodePackage[] {
  const found = new Map<string, NodePackage>();
  const visit = (dir: string) => {
    if (found.has(dir)) return;
    const m = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Manifest;
    found.set(dir, { name: m.name, version: m.version, path: relative(top, dir) });
    for (const dep of Object.keys(m.dependencies ?? {})) {
      const at = resolveFrom(top, dir, dep);
      if (!at) throw new LabError(`${m.name} needs ${dep}, which is not in ${top}: run npm ci first.`);
      visit(at);
    }
    // Optional dependencies may be missing (another platform's build): then they are not needed.
    for (const dep of Object.keys(m.optionalDependencies ?? {})) {
      const at = resolveFrom(top, dir, dep);
      if (at) visit(at);
    }
  };
  for (const r of roots) {
    const dir = join(top, r);
    if (!existsSync(join(dir, 'package.json'))) throw new LabError(`The lab's client needs the npm package ${r}, which is not in ${top}: run npm ci first.`);
    visit(dir);
  }
  return [...found.values()].sort((a, b) => a.path.localeCompare(b.path));
}

/** A package's own files (relative to its folder), without the packages nested in it. */
export function packageFiles(dir: string, sub = ''): string[] {
  const out: string[] = [];
  for (const e of readdirSync(join(dir, sub), { withFileTypes: true })) {
    const rel = join(sub, e.name);
    if (e.isDirectory()) {
      if (e.name !== 'node_modules') out.push(...packageFiles(dir, rel));
    } else if (e.isFile()) out.push(rel);
  }
  return out.sort();
}

/** This checkout's node_modules, where npm ci put the client's packages. */
export const NODE_MODULES = join(import.meta.dirname, '..', '..', 'node_modules');

/**
 * Every file of the client's npm packages (autocannon) and their dependencies, as
 * `<into>/<package path>/<file>`: the micro-VM image, the Docker image and the Vagrant
 * client all take them from here.
 */
export function clientModuleFiles(into: string): { path: string; data: Buffer }[] {
  const out: { path: string; data: Buffer }[] = [];
  for (const p of packageClosure(NODE_MODULES, CLIENT_NPM)) {
    const from = join(NODE_MODULES, p.path);
    for (const f of packageFiles(from)) out.push({ path: `${into}/${p.path}/${f}`, data: readFileSync(join(from, f)) });
  }
  return out;
}
