// How each cause of failure reads in the reports: its title in tables and legends, its phrase
// in a sentence (and why it happens), and whether tables list it only when it happened —
// the lab's unreachable hosts, which the simulator never produces.

import { ERROR_CAUSES, type ErrorCause } from './result.ts';

export interface CauseText {
  title: string;
  phrase: string;
  why?: string;
  onlyWhenSeen?: boolean;
}

export const CAUSE_TEXT: Record<ErrorCause, CauseText> = {
  refused: { title: 'refused', phrase: 'refused', why: 'connection refused: a stopped service, a server at its connection limit, or a SYN the director reset' },
  reset: { title: 'reset', phrase: 'reset', why: 'the connection was reset' },
  timeout: { title: 'timeout', phrase: 'timed out', why: 'the client gave up waiting' },
  unreachable: {
    title: 'unreachable', phrase: 'found the host unreachable', onlyWhenSeen: true,
    why: 'the director could no longer resolve a dead real server\'s address and answered ICMP host unreachable',
  },
  noServer: { title: 'no server', phrase: 'found no real server available' },
  error: { title: 'error', phrase: 'got an error from the application', why: 'its session database or storage failed' },
};

/** The causes a table lists for these counts: every one, but those shown only when they happened. */
export function listedCauses(failed: Partial<Record<ErrorCause, number>>): ErrorCause[] {
  return ERROR_CAUSES.filter((c) => !CAUSE_TEXT[c].onlyWhenSeen || (failed[c] ?? 0) > 0);
}
