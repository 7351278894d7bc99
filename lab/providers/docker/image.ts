// The lab's container image: Debian 12 with the packages the micro-VM image holds, nodejs and
// this checkout's autocannon for the client's load, and the same guest files (lab/guest →
// /etc/webfarm), plus the container side (guest/boot.sh, guest/sysctl.sh). One image serves
// all four hosts. Its tag is a hash of
// the build context, so it is built once per change of those files and kept (labelled) after
// teardown.

import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type Docker from 'dockerode';
import type DockerModem from 'docker-modem';
import { LabError } from '../../errors.ts';
import { GUEST_DIR } from '../../image/build.ts';
import { clientModuleFiles } from '../../image/node-modules.ts';
import { CLIENT_NODE_MODULES } from '../../image/packages.ts';
import { IMAGE_LABEL } from './specs.ts';
import { tar, type TarEntry } from '../tar.ts';

const DOCKER_GUEST_DIR = join(import.meta.dirname, 'guest');

export const DOCKERFILE = `# The webfarm lab's hosts (lab/providers/docker/image.ts builds this).
FROM debian:bookworm
# The micro-VM image's packages (lab/image/packages.ts), procps for sysctl, busybox for its
# syslogd (as in the micro-VMs), nodejs for the client's open-loop load.
RUN apt-get update \\
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \\
      iproute2 ipvsadm iptables monit keepalived nginx netcat-openbsd procps busybox gzip nodejs \\
 && rm -rf /var/lib/apt/lists/* \\
 && for p in /sbin/ip /sbin/tc /sbin/ipvsadm /bin/nc.openbsd /usr/sbin/sysctl; do test -x "$p"; done
# The guest files where the micro-VM image puts them; init and agent.sh are the micro-VM's PID 1
# and serial channel, which docker exec replaces.
COPY guest/ /etc/webfarm/
RUN mv /etc/webfarm/nginx.conf /etc/nginx/nginx.conf \\
 && rm -f /etc/webfarm/init /etc/webfarm/agent.sh \\
 && mkdir -p /srv/www /var/log/nginx
COPY docker/boot.sh /etc/webfarm/docker/boot.sh
COPY docker/sysctl.sh /usr/local/sbin/sysctl
# The client's npm packages (autocannon), as the micro-VM image's client layer has them.
COPY node_modules/ ${CLIENT_NODE_MODULES}/
CMD ["sleep", "infinity"]
`;

/** Scripts and the init run as programs; the rest is data. */
const modeOf = (name: string, file: string) => ((statSync(file).mode & 0o111) !== 0 || name.endsWith('.sh') || name === 'init' ? 0o755 : 0o644);

function folder(dir: string, into: string): TarEntry[] {
  const out: TarEntry[] = [{ path: into }];
  for (const name of readdirSync(dir).sort()) {
    const file = join(dir, name);
    if (!statSync(file).isFile()) continue;
    out.push({ path: `${into}/${name}`, data: readFileSync(file), mode: modeOf(name, file) });
  }
  return out;
}

/** The build context's files: Dockerfile, guest/ (lab/guest), docker/ (the container side), node_modules/ (the client's). */
export function buildContext(): TarEntry[] {
  return [
    { path: 'Dockerfile', data: Buffer.from(DOCKERFILE) },
    ...folder(GUEST_DIR, 'guest'),
    ...folder(DOCKER_GUEST_DIR, 'docker'),
    { path: 'node_modules' },
    ...clientModuleFiles('node_modules'),
  ];
}

/** webfarm-lab:<hash of the context>: the same files, the same tag. */
export function imageTag(context: Buffer): string {
  return `webfarm-lab:${createHash('sha256').update(context).digest('hex').slice(0, 16)}`;
}

interface BuildEvent {
  stream?: string;
  error?: string;
  errorDetail?: { message?: string };
}

/** The lab's image tag, built first unless the engine has it. */
export async function ensureImage(docker: Docker, onProgress: (line: string) => void = () => {}): Promise<string> {
  const context = tar(buildContext());
  const tag = imageTag(context);
  try {
    await docker.getImage(tag).inspect();
    return tag;
  } catch { /* not built yet */ }
  onProgress(`docker: building the lab image ${tag} from debian:bookworm…`);
  const stream = await docker.buildImage(Readable.from([context]), { t: tag, labels: { [IMAGE_LABEL]: '1' }, rm: true, forcerm: true });
  const last: string[] = [];
  const events = await new Promise<BuildEvent[]>((resolve, reject) => {
    (docker.modem as DockerModem).followProgress(stream, (err, out: BuildEvent[]) => (err ? reject(err) : resolve(out)), (e: BuildEvent) => {
      for (const line of (e.stream ?? '').split('\n').map((l) => l.trim()).filter(Boolean)) {
        last.push(line);
        if (last.length > 5) last.shift();
        if (/^Step \d+\/\d+ : /.test(line)) onProgress(`docker: ${line.slice(0, 100)}`);
      }
    });
  });
  const failed = events.find((e) => e.error || e.errorDetail);
  if (failed) {
    const why = failed.errorDetail?.message ?? failed.error ?? '';
    throw new LabError(`Building the lab's Docker image failed: ${why.trim()}${last.length ? ` (last output: ${last.join(' | ')})` : ''}.`);
  }
  return tag;
}
