// A tar (ustar) archive writer, just enough for what providers copy into their hosts (a
// Docker build context, farm.conf and host.conf, the client's npm packages): regular files
// and folders, paths up to 255 bytes, fixed owner and time so the same files always make the
// same bytes (the Docker image's tag is their hash).

export interface TarEntry {
  path: string;
  /** Absent for a folder. */
  data?: Buffer;
  mode?: number;
}

const BLOCK = 512;

function octal(value: number, width: number): string {
  // width - 1 digits and a NUL, as ustar readers expect.
  return value.toString(8).padStart(width - 1, '0') + '\0';
}

/** ustar keeps a path as name (100 bytes) and prefix (155): split at a slash so both fit. */
function split(path: string): { name: Buffer; prefix: Buffer } {
  const whole = Buffer.from(path, 'utf8');
  if (whole.length <= 100) return { name: whole, prefix: Buffer.alloc(0) };
  for (let i = path.indexOf('/'); i > 0; i = path.indexOf('/', i + 1)) {
    const prefix = Buffer.from(path.slice(0, i), 'utf8');
    const name = Buffer.from(path.slice(i + 1), 'utf8');
    if (prefix.length <= 155 && name.length <= 100 && name.length > 0) return { name, prefix };
  }
  throw new Error(`tar: "${path}" does not fit a ustar header (a name of up to 100 bytes after a folder of up to 155).`);
}

function header(path: string, size: number, mode: number, dir: boolean): Buffer {
  const { name, prefix } = split(dir && !path.endsWith('/') ? `${path}/` : path);
  const h = Buffer.alloc(BLOCK);
  name.copy(h, 0);
  prefix.copy(h, 345);
  h.write(octal(mode, 8), 100, 'ascii');
  h.write(octal(0, 8), 108, 'ascii'); // uid root
  h.write(octal(0, 8), 116, 'ascii'); // gid root
  h.write(octal(size, 12), 124, 'ascii');
  h.write(octal(0, 12), 136, 'ascii'); // mtime: fixed, for reproducible bytes
  h.write(' '.repeat(8), 148, 'ascii'); // the checksum counts its own field as spaces
  h.write(dir ? '5' : '0', 156, 'ascii');
  h.write('ustar\0', 257, 'ascii');
  h.write('00', 263, 'ascii');
  h.write('root', 265, 'ascii');
  h.write('root', 297, 'ascii');
  let sum = 0;
  for (const b of h) sum += b;
  h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 'ascii');
  return h;
}

/** The archive of `entries`, in their order, with the two zero blocks that end a tar. */
export function tar(entries: readonly TarEntry[]): Buffer {
  const parts: Buffer[] = [];
  for (const e of entries) {
    const dir = e.data === undefined;
    const size = e.data?.length ?? 0;
    parts.push(header(e.path, size, e.mode ?? (dir ? 0o755 : 0o644), dir));
    if (e.data) {
      parts.push(e.data);
      const pad = (BLOCK - (size % BLOCK)) % BLOCK;
      if (pad) parts.push(Buffer.alloc(pad));
    }
  }
  parts.push(Buffer.alloc(2 * BLOCK));
  return Buffer.concat(parts);
}
