// What one HTTP request over its own TCP connection puts on the wire, in packets and bytes,
// and which of it crosses the director under each forwarding method. Byte counts are payload
// (TCP/IP headers, ~3%, are left out) plus the 20-byte outer header that IP-in-IP adds.

import type { Forwarding } from '../../scenarios/schema.ts';

export const MSS = 1460;
export const IPIP_HEADER = 20;

export function segments(bytes: number): number {
  return bytes <= MSS ? 1 : Math.ceil(bytes / MSS);
}

/** Client → server: SYN, ACK, the request, FIN, and a delayed ACK for every two response segments. */
export function clientPackets(request: number, response: number): number {
  return 3 + segments(request) + Math.ceil(segments(response) / 2);
}

/** Server → client: SYN-ACK, the response, FIN. */
export function serverPackets(response: number): number {
  return 2 + segments(response);
}

/** Bytes the director sends on for the client's side of the connection. */
export function forwardBytes(forwarding: Forwarding, request: number, response: number): number {
  return forwarding === 'tun' ? request + IPIP_HEADER * clientPackets(request, response) : request;
}

/** Under nat the answer comes back through the director (to be un-NATed); under dr and tun it goes straight out. */
export function returnsThroughDirector(forwarding: Forwarding): boolean {
  return forwarding === 'nat';
}
