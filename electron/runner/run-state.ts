/**
 * The run state machine: idle → running ⇄ paused; running/paused → cancelling →
 * cancelled; running/paused/cancelling → failed; running → finished. Terminal states
 * have no way out. Any other move is a programming error (StateError).
 */
import { StateError } from '../../drivers/errors';
import type { RunState } from './types';

const NEXT: Record<RunState, readonly RunState[]> = {
  idle: ['running'],
  running: ['paused', 'cancelling', 'finished', 'failed'],
  paused: ['running', 'cancelling', 'failed'],
  cancelling: ['cancelled', 'failed'],
  finished: [],
  failed: [],
  cancelled: [],
};

export function canTransition(from: RunState, to: RunState): boolean {
  return NEXT[from].includes(to);
}

export function assertTransition(from: RunState, to: RunState): void {
  if (!canTransition(from, to))
    throw new StateError(`run cannot go from ${from} to ${to}`, { from, to });
}

export function isTerminal(state: RunState): boolean {
  return NEXT[state].length === 0;
}
