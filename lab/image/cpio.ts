// A newc ("070701") cpio writer: the format the Linux kernel unpacks as an initramfs. Written
// here instead of calling cpio(1) so every file is owned by root with a fixed mtime (the
// archive is reproducible) and no tool beyond node is needed.

const TRAILER = 'TRAILER!!!';

export type Entry =
  | { kind: 'dir'; path: string; mode?: number }
  | { kind: 'file'; path: string; data: Buffer; mode?: number }
  | { kind: 'symlink'; path: string; target: string };

function pad4(n: number): number {
  return (4 - (n % 4)) % 4;
}

function header(ino: number, mode: number, size: number, nameSize: number): string {
  const f = (n: number) => n.toString(16).padStart(8, '0');
  // magic ino mode uid gid nlink mtime filesize devmajor devminor rdevmajor rdevminor namesize check
  return `070701${f(ino)}${f(mode)}${f(0)}${f(0)}${f(1)}${f(0)}${f(size)}${f(0)}${f(0)}${f(0)}${f(0)}${f(nameSize)}${f(0)}`;
}

/** Serialises entries in the order given; parents must come before their children. */
export function cpio(entries: Iterable<Entry>): Buffer {
  const parts: Buffer[] = [];
  let ino = 1;
  const push = (name: string, mode: number, data: Buffer) => {
    const nameBuf = Buffer.from(`${name}\0`, 'utf8');
    const head = Buffer.from(header(ino++, mode, data.length, nameBuf.length), 'ascii');
    parts.push(head, nameBuf, Buffer.alloc(pad4(head.length + nameBuf.length)));
    if (data.length > 0) parts.push(data, Buffer.alloc(pad4(data.length)));
  };
  for (const e of entries) {
    const name = e.path.replace(/^\/+/, '');
    if (e.kind === 'dir') push(name, 0o040000 | (e.mode ?? 0o755), Buffer.alloc(0));
    else if (e.kind === 'file') push(name, 0o100000 | (e.mode ?? 0o644), e.data);
    else push(name, 0o120000 | 0o777, Buffer.from(e.target, 'utf8'));
  }
  push(TRAILER, 0, Buffer.alloc(0));
  return Buffer.concat(parts);
}

/** Collects entries by path, adding missing parent folders, then writes them parents first. */
export class Tree {
  private readonly entries = new Map<string, Entry>();

  add(e: Entry): void {
    const path = `/${e.path.replace(/^\/+|\/+$/g, '')}`;
    const parts = path.split('/').filter(Boolean);
    for (let i = 1; i < parts.length; i++) {
      const dir = `/${parts.slice(0, i).join('/')}`;
      if (!this.entries.has(dir)) this.entries.set(dir, { kind: 'dir', path: dir });
    }
    this.entries.set(path, { ...e, path });
  }

  has(path: string): boolean {
    return this.entries.has(`/${path.replace(/^\/+|\/+$/g, '')}`);
  }

  get size(): number {
    let n = 0;
    for (const e of this.entries.values()) if (e.kind === 'file') n += e.data.length;
    return n;
  }

  toCpio(): Buffer {
    const sorted = [...this.entries.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    return cpio(sorted);
  }
}
