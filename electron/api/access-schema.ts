/**
 * Access control (issue #13 §2–§5): roles, the audit trail's entries, the lease's commands
 * and state. Which command needs which access is `commandAccess` in contract.ts.
 */
import { z } from 'zod';
import { command, finite, none } from './schema-parts';

export const roleName = z.enum(['operator', 'observer']);
export type Role = z.infer<typeof roleName>;

const auditEntrySchema = z.object({
  seq: z.number().int(),
  timeMs: z.number(),
  user: z.string(),
  clientId: z.string(),
  transport: z.string(),
  command: z.string(),
  /** Parameters with secrets and large payloads elided (see electron/host/audit-summary.ts). */
  args: z.unknown(),
  ok: z.boolean(),
  code: z.string().optional(),
  ms: z.number(),
  /** Issue #15: made by a macro's dry run on the simulated twin; nothing real moved. */
  dryRun: z.boolean().optional(),
});
export type AuditEntry = z.infer<typeof auditEntrySchema>;

export const accessCommands = {
  'control.request': command(
    none,
    z.object({ granted: z.boolean(), holder: z.string().nullable() }),
    'Ask for control: granted at once when nobody holds it, else the holder is asked (control.handOver).',
  ),
  'control.release': command(
    none,
    none,
    'Give up control; nobody holds it until the next request.',
  ),
  'control.handOver': command(
    z.object({ clientId: z.string().min(1).max(128) }).strict(),
    none,
    'Hand control to another connected client (the holder consents to its request).',
  ),
  'control.take': command(
    none,
    none,
    'Take control: succeeds when the lease has expired or was released; the instrument window always may.',
  ),
  'control.heartbeat': command(
    none,
    z.object({ expiresAtMs: z.number() }),
    'Keep the control lease alive (the holder; WebSocket pongs count too).',
  ),
  'audit.query': command(
    z
      .object({
        user: z.string().max(128).optional(),
        command: z.string().max(128).optional(),
        sinceMs: finite.optional(),
        untilMs: finite.optional(),
        limit: z.number().int().min(1).max(10_000).optional(),
      })
      .strict(),
    z.object({ entries: z.array(auditEntrySchema) }),
    'Audit trail entries, oldest first, filtered by user, command (exact or "prefix.*") and time (epoch ms).',
  ),
} as const;
export type AccessCommandName = keyof typeof accessCommands;

/** A signed-in user or client as shown in state (never a token). */
export interface ControlClient {
  clientId: string;
  user: string;
  role: Role;
  transport: string;
  connectedAtMs: number;
}

/** The control lease: who may run mutating commands, who watches, who asked. */
export interface ControlState {
  holder: (ControlClient & { sinceMs: number; expiresAtMs: number | null }) | null;
  clients: ControlClient[];
  /** Clients that asked for control, oldest first (the holder may hand over to them). */
  requests: { clientId: string; user: string; atMs: number }[];
}
