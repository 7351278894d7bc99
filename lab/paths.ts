// Where the lab keeps things outside the repository, following the XDG base directories:
// the image and the download cache under the cache folder, the running farm's state (PIDs,
// sockets, logs) under the runtime folder when the session has one.

import { homedir } from 'node:os';
import { join } from 'node:path';

export function cacheDir(): string {
  const base = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(base, 'webfarm');
}

/** The folder `lab up` keeps its running farm in, until `lab down`. */
export function stateDir(): string {
  if (process.env.WEBFARM_STATE_DIR) return process.env.WEBFARM_STATE_DIR;
  const runtime = process.env.XDG_RUNTIME_DIR;
  return runtime ? join(runtime, 'webfarm') : join(cacheDir(), 'run');
}
