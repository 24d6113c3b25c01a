/**
 * The control lease: one client at a time may run mutating commands. The dispatcher asks
 * `authorise` before every command, so every transport is covered by the same check.
 *
 * - A mutating command from an operator while nobody holds the lease grants it implicitly
 *   (scripts keep working); while someone else holds it, it fails with E_NOT_CONTROLLER
 *   naming the holder. Observers never control (E_NOT_CONTROLLER / E_FORBIDDEN).
 * - Remote holders must stay alive: any call, `control.heartbeat` or (WebSocket) a pong renews
 *   the lease; without one for `leaseMs[transport]` it expires. The instrument window (ipc)
 *   holds it without expiry. In-process callers (cli, internal) are not held to the lease.
 * - `take` succeeds when the lease is free or expired, or for a local caller (the window can
 *   always take control back). `handOver` is the holder's consent to another client.
 * - Listeners of `onLost` hear when a holder disappears (disconnect, expiry): the watchdog.
 */
import { ForbiddenError, NotControllerError, ValidationError } from '../../drivers/errors';
import type { CommandAccess, ControlClient, Role } from '../api/contract';
import type { CallContext } from './command-handlers';
import type { StateStore } from './state-store';

export type LeaseEndReason = 'released' | 'handed over' | 'taken' | 'disconnected' | 'expired';
export type LostListener = (holder: ControlClient, reason: 'disconnected' | 'expired') => void;

export interface ControlLeaseOptions {
  /** Lease length after the last heartbeat, ms, per remote transport. */
  leaseMs?: { ws: number; http: number };
  now?: () => number;
  /** How often expiry is checked, ms. */
  checkEveryMs?: number;
}

/** WebSocket holders are pinged every 500 ms (ws-session.ts): 1.5 s without a pong = gone. */
export const DEFAULT_LEASE_MS = { ws: 1_500, http: 30_000 };
const LOCAL_TRANSPORTS = new Set(['ipc', 'cli', 'internal']);
/**
 * In-process callers (the headless CLI's own host, runner, macros started by a controller)
 * were authorised where they started and are not held to the lease.
 */
const IN_PROCESS = new Set(['cli', 'internal']);
/** A check timer this late means the host, not the client, was stalled. */
const STALL_MS = 250;
/** State shows expiresAtMs at this granularity, so heartbeats do not flood clients with patches. */
const PUBLISH_EXPIRY_STEP_MS = 1_000;

export function isLocal(ctx: Pick<CallContext, 'transport'>): boolean {
  return LOCAL_TRANSPORTS.has(ctx.transport);
}

/** The caller's user and role; local transports act as the instrument's operator. */
export function identityOf(ctx: CallContext): { user: string; role: Role } {
  if (ctx.user && ctx.role) return { user: ctx.user, role: ctx.role };
  if (isLocal(ctx)) return { user: ctx.user ?? 'local', role: 'operator' };
  return { user: ctx.user ?? 'unknown', role: 'observer' };
}

export function describeClient(c: Pick<ControlClient, 'user' | 'clientId'>): string {
  return `${c.user} (${c.clientId})`;
}

export class ControlLease {
  private expiresAt: number | null = null;
  private readonly lost = new Set<LostListener>();
  private readonly timer: NodeJS.Timeout;
  private readonly leaseMs: { ws: number; http: number };
  private readonly now: () => number;

  constructor(
    private readonly store: StateStore,
    opts: ControlLeaseOptions = {},
  ) {
    this.leaseMs = opts.leaseMs ?? DEFAULT_LEASE_MS;
    this.now = opts.now ?? Date.now;
    const every = opts.checkEveryMs ?? 100;
    let lastTick = this.now();
    let skipped = false;
    this.timer = setInterval(() => {
      const now = this.now();
      const stalled = now - lastTick > every + STALL_MS;
      lastTick = now;
      // After an event-loop stall, pongs that arrived meanwhile are still unread: skip one
      // tick (one I/O phase runs before the next), never two in a row.
      if (stalled && !skipped) {
        skipped = true;
        return;
      }
      skipped = false;
      this.expireIfDue();
    }, every);
    this.timer.unref();
  }

  get holder() {
    return this.store.state.control.holder;
  }

  onLost(listener: LostListener): () => void {
    this.lost.add(listener);
    return () => this.lost.delete(listener);
  }

  /** A connected client (WebSocket, the window) appears in `state.control.clients`. */
  connect(client: Omit<ControlClient, 'connectedAtMs'>): void {
    this.store.update((s) => {
      s.control.clients = s.control.clients.filter((c) => c.clientId !== client.clientId);
      s.control.clients.push({ ...client, connectedAtMs: this.now() });
    });
  }

  disconnect(clientId: string): void {
    const holder = this.holder;
    this.store.update((s) => {
      s.control.clients = s.control.clients.filter((c) => c.clientId !== clientId);
      s.control.requests = s.control.requests.filter((r) => r.clientId !== clientId);
    });
    if (holder?.clientId === clientId) this.end('disconnected');
  }

  /** Throws unless `ctx` may run a command of this access class now. Renews the holder's lease. */
  authorise(command: string, access: CommandAccess, ctx: CallContext): void {
    if (access === 'safety' || access === 'read' || IN_PROCESS.has(ctx.transport)) return;
    const me = identityOf(ctx);
    if (access === 'control') {
      if (me.role !== 'operator' && command !== 'control.heartbeat')
        throw new ForbiddenError(`${me.user} is an observer: observers cannot take control`);
      return;
    }
    const holder = this.holder;
    if (me.role !== 'operator') {
      throw new NotControllerError(
        `${command} refused: ${me.user} is an observer${holder ? `; ${describeClient(holder)} is in control` : ''}`,
        { holder: holder ? holderDetails(holder) : null, role: me.role },
      );
    }
    if (!holder) return this.grant(ctx);
    if (holder.clientId !== ctx.clientId) {
      throw new NotControllerError(
        `${command} refused: ${describeClient(holder)} is in control; ask with control.request`,
        { holder: holderDetails(holder) },
      );
    }
    this.renew(ctx.clientId);
  }

  request(ctx: CallContext): { granted: boolean; holder: string | null } {
    const holder = this.holder;
    if (!holder) {
      this.grant(ctx);
      return { granted: true, holder: ctx.clientId };
    }
    if (holder.clientId === ctx.clientId) return { granted: true, holder: ctx.clientId };
    const { user } = identityOf(ctx);
    this.store.update((s) => {
      if (!s.control.requests.some((r) => r.clientId === ctx.clientId))
        s.control.requests.push({ clientId: ctx.clientId, user, atMs: this.now() });
    });
    return { granted: false, holder: describeClient(holder) };
  }

  release(ctx: CallContext): void {
    this.requireHolder(ctx, 'control.release');
    this.end('released');
  }

  handOver(ctx: CallContext, toClientId: string): void {
    this.requireHolder(ctx, 'control.handOver');
    const to = this.store.state.control.clients.find((c) => c.clientId === toClientId);
    if (!to) throw new ValidationError(`control.handOver: no connected client "${toClientId}"`);
    if (to.role !== 'operator')
      throw new ForbiddenError(`control.handOver: ${describeClient(to)} is an observer`);
    this.end('handed over');
    this.grant({
      clientId: to.clientId,
      transport: to.transport as CallContext['transport'],
      user: to.user,
      role: to.role,
    });
  }

  take(ctx: CallContext): void {
    const holder = this.holder;
    if (holder && holder.clientId !== ctx.clientId && !isLocal(ctx)) {
      throw new NotControllerError(
        `control.take refused: ${describeClient(holder)} is in control and its lease is alive; ask with control.request`,
        { holder: holderDetails(holder) },
      );
    }
    if (holder && holder.clientId !== ctx.clientId) this.end('taken');
    if (!this.holder) this.grant(ctx);
  }

  heartbeat(ctx: CallContext): { expiresAtMs: number } {
    this.requireHolder(ctx, 'control.heartbeat');
    this.renew(ctx.clientId);
    return { expiresAtMs: this.expiresAt ?? Number.MAX_SAFE_INTEGER };
  }

  /** A liveness sign from a client (WebSocket pong); renews the lease if it holds it. */
  alive(clientId: string): void {
    if (this.holder?.clientId === clientId) this.renew(clientId);
  }

  close(): void {
    clearInterval(this.timer);
  }

  private requireHolder(ctx: CallContext, command: string): void {
    const holder = this.holder;
    if (holder?.clientId !== ctx.clientId)
      throw new NotControllerError(
        `${command} refused: ${holder ? `${describeClient(holder)} is in control` : 'nobody is in control'}`,
        { holder: holder ? holderDetails(holder) : null },
      );
  }

  private grant(ctx: CallContext): void {
    const { user, role } = identityOf(ctx);
    const now = this.now();
    const known = this.store.state.control.clients.find((c) => c.clientId === ctx.clientId);
    this.expiresAt = this.expiryFrom(ctx.transport, now);
    this.store.update((s) => {
      s.control.holder = {
        clientId: ctx.clientId,
        user,
        role,
        transport: ctx.transport,
        connectedAtMs: known?.connectedAtMs ?? now,
        sinceMs: now,
        expiresAtMs: this.expiresAt,
      };
      s.control.requests = s.control.requests.filter((r) => r.clientId !== ctx.clientId);
    });
  }

  private renew(clientId: string): void {
    const holder = this.holder;
    if (!holder || holder.clientId !== clientId) return;
    this.expiresAt = this.expiryFrom(holder.transport, this.now());
    const shown = holder.expiresAtMs;
    const next = this.expiresAt;
    if (next !== null && (shown === null || next - shown >= PUBLISH_EXPIRY_STEP_MS))
      this.store.update((s) => {
        if (s.control.holder) s.control.holder.expiresAtMs = next;
      });
  }

  private expiryFrom(transport: string, now: number): number | null {
    if (transport === 'ws') return now + this.leaseMs.ws;
    if (transport === 'http') return now + this.leaseMs.http;
    return null;
  }

  private expireIfDue(): void {
    if (this.holder && this.expiresAt !== null && this.now() > this.expiresAt) this.end('expired');
  }

  private end(reason: LeaseEndReason): void {
    const holder = this.holder;
    if (!holder) return;
    this.expiresAt = null;
    this.store.update((s) => {
      s.control.holder = null;
    });
    if (reason === 'disconnected' || reason === 'expired')
      for (const l of this.lost) l(holder, reason);
  }
}

function holderDetails(h: ControlClient) {
  return { user: h.user, clientId: h.clientId };
}
