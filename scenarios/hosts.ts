// Names of the hosts a scenario's faults can hit, as people write them: a real server by its
// name (or site/name when two sites share names), a director (or site/director), the session
// database, the network storage. Shared by the simulator and the lab.

export type HostRef =
  | { kind: 'server'; site: number; server: number }
  | { kind: 'director'; site: number }
  | { kind: 'database' }
  | { kind: 'storage' };

interface Shape {
  sites: { name: string; director?: unknown; servers: { name: string }[] }[];
}

/** The host `name` refers to, or an explanation of why it refers to none. */
export function resolveHost(shape: Shape, name: string): HostRef | string {
  if (name === 'database') return { kind: 'database' };
  if (name === 'storage') return { kind: 'storage' };
  const slash = name.indexOf('/');
  const siteName = slash >= 0 ? name.slice(0, slash) : undefined;
  const host = slash >= 0 ? name.slice(slash + 1) : name;
  const sites = shape.sites
    .map((s, i) => ({ s, i }))
    .filter(({ s }) => siteName === undefined || s.name === siteName);
  if (sites.length === 0) return `no site named "${siteName}"`;
  if (host === 'director') {
    const withDirector = sites.filter(({ s }) => s.director);
    if (withDirector.length === 1) return { kind: 'director', site: withDirector[0]!.i };
    return withDirector.length === 0 ? 'no site has a director' : 'several sites have a director: write site/director';
  }
  const hits = sites.flatMap(({ s, i }) => s.servers.flatMap((sv, j) => (sv.name === host ? [{ site: i, server: j }] : [])));
  if (hits.length === 1) return { kind: 'server', ...hits[0]! };
  if (hits.length > 1) return `"${host}" names a server in several sites: write site/${host}`;
  const known = shape.sites.flatMap((s) => s.servers.map((sv) => sv.name));
  return `no host named "${name}" (real servers: ${known.join(', ')}; also director, database, storage)`;
}
