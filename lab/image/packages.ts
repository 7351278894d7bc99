// What goes into the micro-VM image: Debian 12 packages and, from each, only the files the lab
// runs. Shared libraries are not listed: they are found by following each program's NEEDED
// entries (readelf -d) through the unpacked library packages, which apt names for us.

/** Packages whose programs the guests run. The kernel's metapackage is resolved to its version. */
export const PACKAGES = [
  'linux-image-cloud-amd64', // Debian's cloud kernel: ip_vs, netfilter and virtio as modules
  'busybox-static', // init, shell and the small tools
  'iproute2', // ip, tc, ss
  'ipvsadm',
  'iptables', // the legacy backend, which the deck's iptables -t mangle used
  'monit',
  'keepalived',
  'nginx', // the web server: keeps connections alive
  'netcat-openbsd', // nc -s: a request from a chosen client address
] as const;

/**
 * The client's own layer: Debian's nodejs (18) for lab/guest/open-loop.mjs. It is about 95 MB
 * with its libraries (ICU, libnode), so only the client boots it — a second cpio archive
 * appended to its initramfs, which the kernel unpacks over the first — and the director and
 * web servers stay small and boot fast. Pinned to the newest version the package lists offer,
 * so a newer nodejs installed on the host from elsewhere does not get in the way.
 */
export const CLIENT_PACKAGES = ['nodejs', 'node-acorn', 'node-cjs-module-lexer', 'node-undici'] as const;
/** npm packages for the client's node, from this checkout's node_modules (the capacity phase's autocannon). */
export const CLIENT_NPM = ['autocannon'] as const;
/** Where they go in the client VM. */
export const CLIENT_NODE_MODULES = '/usr/lib/webfarm/node_modules';
export const CLIENT_FILES = [
  '/usr/bin/node',
  // Debian's node loads these builtins from files at start (NODE_SHARED_BUILTIN_*_PATH).
  '/usr/share/nodejs/cjs-module-lexer/lexer.js',
  '/usr/share/nodejs/cjs-module-lexer/dist/lexer.js',
  '/usr/share/nodejs/undici/undici-fetch.js',
  '/usr/share/nodejs/acorn/dist/acorn.js',
  '/usr/share/nodejs/acorn-walk/dist/walk.js',
];

/** Programs and data taken from the packages, as paths inside the unpacked tree. */
export const FILES = [
  '/bin/busybox',
  '/bin/ip',
  '/sbin/tc',
  '/bin/ss',
  '/sbin/ipvsadm',
  '/usr/sbin/xtables-legacy-multi',
  '/usr/lib/x86_64-linux-gnu/xtables/', // iptables matches and targets, loaded at run time
  '/usr/bin/monit',
  '/usr/sbin/keepalived',
  '/usr/sbin/nginx',
  '/bin/nc.openbsd',
];

/** Links the packages' maintainer scripts (or update-alternatives) would have made. */
export const LINKS: Record<string, string> = {
  '/sbin/ip': '/bin/ip',
  '/usr/sbin/iptables': 'xtables-legacy-multi',
  '/usr/sbin/iptables-save': 'xtables-legacy-multi',
  '/usr/sbin/iptables-restore': 'xtables-legacy-multi',
  '/usr/sbin/iptables-legacy': 'xtables-legacy-multi',
  '/sbin/iptables': '/usr/sbin/iptables',
  '/usr/bin/nc': '/bin/nc.openbsd',
};

/** Libraries loaded with dlopen, which readelf cannot see. */
export const DLOPENED = ['libgcc_s.so.1'];

/** Kernel modules loaded at boot; their dependencies are added from each module's .modinfo. */
export const MODULES = [
  'virtio_pci', 'virtio_net', 'qemu_fw_cfg',
  'ip_vs', 'ip_vs_rr', 'ip_vs_wrr', 'ip_vs_lc', 'ip_vs_wlc', 'ip_vs_sed', 'ip_vs_nq',
  'ip_vs_dh', 'ip_vs_sh', 'ip_vs_mh',
  'nf_conntrack', 'nf_nat', 'iptable_mangle', 'iptable_nat', 'iptable_filter',
  'xt_mark', 'xt_tcpudp', 'xt_conntrack', 'xt_MASQUERADE',
  'veth', 'bridge', 'ipip', 'sch_netem',
];
