// Builds the micro-VM image — Debian's cloud kernel plus one initramfs for every lab host —
// from Debian 12 packages: apt-get download, dpkg-deb -x, programs picked by name, libraries
// by readelf -d. The result is cached under the XDG cache folder, keyed by a hash of the
// package list, the guest files and this builder, so it is rebuilt only when one changes.

import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, readlinkSync, renameSync, rmSync, statfsSync, statSync, writeFileSync, lstatSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LabError } from '../errors.ts';
import { cacheDir } from '../paths.ts';
import { progress } from '../progress.ts';
import { run, which } from '../run.ts';
import { Tree } from './cpio.ts';
import { isElf, libraryClosure } from './elf.ts';
import { moduleLoadOrder } from './modules.ts';
import { CLIENT_FILES, CLIENT_NODE_MODULES, CLIENT_NPM, CLIENT_PACKAGES, DLOPENED, FILES, LINKS, MODULES, PACKAGES } from './packages.ts';
import { clientModuleFiles, NODE_MODULES, packageClosure } from './node-modules.ts';

const here = dirname(fileURLToPath(import.meta.url));
export const GUEST_DIR = join(here, '..', 'guest');

export interface Image {
  dir: string;
  kernel: string;
  initrd: string;
  /** The client's initramfs: the shared one with the client layer (nodejs) appended. */
  clientInitrd: string;
  kernelVersion: string;
  /** Seconds spent building; 0 when it came from the cache. */
  buildSeconds: number;
  bytes: number;
  clientBytes: number;
}

/** Guest files and where each goes in the image. */
function guestFiles(): { src: string; dest: string; mode: number }[] {
  const out: { src: string; dest: string; mode: number }[] = [];
  for (const name of readdirSync(GUEST_DIR).sort()) {
    const src = join(GUEST_DIR, name);
    if (!statSync(src).isFile()) continue;
    const exec = (statSync(src).mode & 0o111) !== 0 || name.endsWith('.sh') || name === 'init';
    const dest = name === 'init' ? '/init' : name === 'nginx.conf' ? '/etc/nginx/nginx.conf' : `/etc/webfarm/${name}`;
    out.push({ src, dest, mode: exec ? 0o755 : 0o644 });
  }
  return out;
}

export function imageKey(): string {
  const h = createHash('sha256');
  const npm = packageClosure(NODE_MODULES, CLIENT_NPM).map((p) => `${p.path}@${p.version}`);
  h.update(JSON.stringify({ PACKAGES, FILES, LINKS, MODULES, DLOPENED, CLIENT_PACKAGES, CLIENT_FILES, npm }));
  for (const f of guestFiles()) h.update(f.dest).update(readFileSync(f.src));
  for (const f of readdirSync(here).sort()) if (f.endsWith('.ts')) h.update(f).update(readFileSync(join(here, f)));
  return h.digest('hex').slice(0, 16);
}

async function preflight(dir: string): Promise<void> {
  const missing: string[] = [];
  for (const [tool, pkg] of [['apt-get', 'apt'], ['apt-cache', 'apt'], ['dpkg-deb', 'dpkg'], ['readelf', 'binutils']] as const) {
    if (!(await which(tool))) missing.push(`${tool} (package ${pkg})`);
  }
  if (missing.length > 0) {
    throw new LabError(`Building the lab image needs Debian's package tools, and this machine lacks ${missing.join(', ')}: run the lab on Debian 12 (or install them).`);
  }
  mkdirSync(dir, { recursive: true });
  const fs = statfsSync(dir);
  const free = fs.bavail * fs.bsize;
  if (free < 400e6) {
    throw new LabError(`Building the lab image needs about 400 MB free in ${dir}, and only ${Math.round(free / 1e6)} MB are free: free some space or point XDG_CACHE_HOME elsewhere.`);
  }
}

/** Lines "  Depends: name" / "  PreDepends: name" of apt-cache depends, per package. */
async function directDepends(pkgs: string[]): Promise<Map<string, string[]>> {
  const { stdout } = await run('apt-cache', ['depends', '--no-recommends', '--no-suggests', '--no-conflicts', '--no-breaks', '--no-replaces', '--no-enhances', ...pkgs]);
  const out = new Map<string, string[]>();
  let current: string[] | undefined;
  for (const line of stdout.split('\n')) {
    if (/^\S/.test(line)) {
      current = [];
      out.set(line.trim(), current);
    } else {
      const m = /^\s+\|?(?:Pre)?Depends: ([^<\s][^\s]*)$/.exec(line);
      if (m && current) current.push(m[1]!);
    }
  }
  return out;
}

/**
 * The packages to download: the listed ones, the kernel's versioned package, and every
 * library package (lib*) they depend on, transitively. Tools the programs do not run
 * (debconf, init-system-helpers…) are left out; readelf decides which files are used.
 */
/** Debian's library packages: libfoo1, zlib1g. */
const LIBRARY_PACKAGE = /^(lib|zlib1g$)/;

async function resolvePackages(roots: readonly string[]): Promise<string[]> {
  const all = new Set<string>(roots);
  let layer: string[] = [...roots];
  while (layer.length > 0) {
    const deps = await directDepends(layer);
    const next: string[] = [];
    for (const [pkg, ds] of deps) {
      for (const d of ds) {
        const wanted = LIBRARY_PACKAGE.test(d) || (pkg === 'linux-image-cloud-amd64' && d.startsWith('linux-image-'));
        if (wanted && !all.has(d)) {
          all.add(d);
          next.push(d);
        }
      }
    }
    layer = next;
  }
  return [...all].sort();
}

/**
 * "name=version" with the newest version the package lists offer (apt-cache madison, newest
 * first): a package installed on the host from another source (nodesource's nodejs 20) would
 * otherwise be apt's candidate, and apt-get download could not fetch it.
 */
async function newestListed(pkg: string): Promise<string> {
  const { stdout } = await run('apt-cache', ['madison', pkg], { allowFail: true });
  const version = /^\s*\S+\s*\|\s*(\S+)\s*\|/m.exec(stdout)?.[1];
  if (!version) throw new LabError(`The package lists have no ${pkg}, which the lab's client needs: run apt-get update (as root) first.`);
  return `${pkg}=${version}`;
}

async function download(debDir: string, roots: readonly string[]): Promise<{ root: string; packages: string[] }> {
  const root = join(debDir, 'root');
  const stamp = join(debDir, 'packages.json');
  if (existsSync(stamp)) return { root, packages: JSON.parse(readFileSync(stamp, 'utf8')) as string[] };
  rmSync(debDir, { recursive: true, force: true });
  mkdirSync(root, { recursive: true });
  progress('lab image: resolving packages…');
  const packages = await resolvePackages(roots);
  progress(`lab image: downloading ${packages.length} Debian packages…`);
  const r = await run('apt-get', ['download', ...packages], { cwd: debDir, allowFail: true });
  if (r.code !== 0) {
    const hint = /Unable to locate|has no installation candidate|Couldn't find/.test(r.stderr)
      ? ' The package lists look missing or stale: run apt-get update (as root) first.'
      : '';
    const last = r.stderr.trim().split('\n').pop() ?? '';
    throw new LabError(`apt-get download failed for the lab image: ${last}.${hint}`);
  }
  progress('lab image: unpacking…');
  const debs = readdirSync(debDir).filter((f) => f.endsWith('.deb'));
  for (const deb of debs) await run('dpkg-deb', ['-x', join(debDir, deb), root]);
  for (const deb of debs) rmSync(join(debDir, deb));
  writeFileSync(stamp, JSON.stringify(packages, null, 1));
  return { root, packages };
}

function addPath(tree: Tree, root: string, path: string, elves: string[]): void {
  const full = join(root, path);
  const st = lstatSync(full, { throwIfNoEntry: false });
  if (!st) throw new LabError(`The image wants ${path}, which no downloaded package has; check lab/image/packages.ts against the Debian 12 packages.`);
  if (st.isDirectory()) {
    for (const e of readdirSync(full)) addPath(tree, root, join(path, e), elves);
  } else if (st.isSymbolicLink()) {
    tree.add({ kind: 'symlink', path, target: readlinkSync(full) });
  } else {
    tree.add({ kind: 'file', path, data: readFileSync(full), mode: st.mode & 0o7777 });
    if (isElf(full)) elves.push(full);
  }
}

const ETC: Record<string, string> = {
  '/etc/passwd': 'root:x:0:0:root:/root:/bin/sh\nwww-data:x:33:33:www-data:/var/www:/bin/false\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n',
  '/etc/group': 'root:x:0:\nwww-data:x:33:\nnogroup:x:65534:\n',
  '/etc/hosts': '127.0.0.1 localhost\n',
  '/etc/nsswitch.conf': 'passwd: files\ngroup: files\nhosts: files\n',
};

export async function buildImage(options: { force?: boolean } = {}): Promise<Image> {
  const base = cacheDir();
  const key = imageKey();
  const dir = join(base, 'image', key);
  const manifestFile = join(dir, 'manifest.json');
  if (!options.force && existsSync(manifestFile)) {
    const m = JSON.parse(readFileSync(manifestFile, 'utf8')) as { kernelVersion: string; bytes: number; clientBytes: number };
    return {
      dir, kernel: join(dir, 'vmlinuz'), initrd: join(dir, 'initrd.img'), clientInitrd: join(dir, 'initrd-client.img'),
      kernelVersion: m.kernelVersion, buildSeconds: 0, bytes: m.bytes, clientBytes: m.clientBytes,
    };
  }
  const started = performance.now();
  await preflight(base);
  const pkgKey = createHash('sha256').update(JSON.stringify(PACKAGES) + LIBRARY_PACKAGE.source).digest('hex').slice(0, 16);
  const { root, packages } = await download(join(base, 'debs', pkgKey), PACKAGES);

  progress('lab image: assembling the initramfs…');
  const tree = new Tree();
  const elves: string[] = [];
  for (const f of FILES) addPath(tree, root, f.replace(/\/$/, ''), elves);
  for (const [path, target] of Object.entries(LINKS)) tree.add({ kind: 'symlink', path, target });
  // busybox's applets, except where a real tool from the packages sits at the same path.
  const applets = (await run(join(root, 'bin/busybox'), ['--list-full'])).stdout.split('\n').filter(Boolean);
  for (const a of applets) if (!tree.has(a) && a !== 'bin/busybox') tree.add({ kind: 'symlink', path: a, target: '/bin/busybox' });
  for (const [path, file] of await libraryClosure(root, elves, DLOPENED)) {
    tree.add({ kind: 'file', path, data: readFileSync(file), mode: 0o755 });
  }
  tree.add({ kind: 'symlink', path: '/lib64/ld-linux-x86-64.so.2', target: '/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2' });

  const modulesRoot = join(root, 'lib/modules');
  const versions = readdirSync(modulesRoot);
  if (versions.length !== 1) throw new LabError(`Expected one kernel in the downloaded packages, found ${versions.length} (${versions.join(', ')}); remove ${join(base, 'debs')} and build again.`);
  const kernelVersion = versions[0]!;
  const order = await moduleLoadOrder(join(modulesRoot, kernelVersion), MODULES);
  for (const ko of order) tree.add({ kind: 'file', path: `/${relative(root, ko)}`, data: readFileSync(ko) });
  tree.add({ kind: 'file', path: '/etc/webfarm/modules.order', data: Buffer.from(order.map((ko) => `/${relative(root, ko)}\n`).join('')) });

  for (const g of guestFiles()) tree.add({ kind: 'file', path: g.dest, data: readFileSync(g.src), mode: g.mode });
  for (const [path, text] of Object.entries(ETC)) tree.add({ kind: 'file', path, data: Buffer.from(text) });
  for (const d of ['/proc', '/sys', '/dev', '/run', '/tmp', '/root', '/var/log', '/var/lib', '/srv/www']) tree.add({ kind: 'dir', path: d });

  const initrd = tree.toCpio();
  const clientLayer = await buildClientLayer(base, tree);
  const tmp = join(base, `image-tmp-${process.pid}`);
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  writeFileSync(join(tmp, 'vmlinuz'), readFileSync(join(root, 'boot', `vmlinuz-${kernelVersion}`)));
  writeFileSync(join(tmp, 'initrd.img'), initrd);
  // The kernel unpacks concatenated cpio archives one after the other into the same root.
  writeFileSync(join(tmp, 'initrd-client.img'), Buffer.concat([initrd, clientLayer.cpio]));
  const clientBytes = initrd.length + clientLayer.cpio.length;
  writeFileSync(join(tmp, 'manifest.json'), JSON.stringify({ key, kernelVersion, packages, clientPackages: clientLayer.packages, bytes: initrd.length, clientBytes, modules: order.length }, null, 1));
  // Only the newest image is kept: older keys are from older guest files.
  rmSync(join(base, 'image'), { recursive: true, force: true });
  mkdirSync(join(base, 'image'), { recursive: true });
  renameSync(tmp, dir);
  const buildSeconds = (performance.now() - started) / 1000;
  return {
    dir, kernel: join(dir, 'vmlinuz'), initrd: join(dir, 'initrd.img'), clientInitrd: join(dir, 'initrd-client.img'),
    kernelVersion, buildSeconds, bytes: initrd.length, clientBytes,
  };
}

/** The client's layer: node, the libraries it needs that the shared image lacks, and autocannon. */
async function buildClientLayer(base: string, shared: Tree): Promise<{ cpio: Buffer; packages: string[] }> {
  const roots = await Promise.all(CLIENT_PACKAGES.map(newestListed));
  const pkgKey = createHash('sha256').update(JSON.stringify(roots) + LIBRARY_PACKAGE.source).digest('hex').slice(0, 16);
  progress('lab image: the client layer (nodejs)…');
  const { root, packages } = await download(join(base, 'debs', `client-${pkgKey}`), roots);
  const layer = new Tree();
  const elves: string[] = [];
  for (const f of CLIENT_FILES) addPath(layer, root, f, elves);
  for (const [path, file] of await libraryClosure(root, elves)) {
    if (!shared.has(path)) layer.add({ kind: 'file', path, data: readFileSync(file), mode: 0o755 });
  }
  for (const f of clientModuleFiles(CLIENT_NODE_MODULES)) layer.add({ kind: 'file', ...f, mode: 0o644 });
  return { cpio: layer.toCpio(), packages };
}
