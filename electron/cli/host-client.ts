/**
 * How CLI commands reach a running host: AQUILA_URL / AQUILA_TOKEN, else the session file a
 * running `aquila serve` left (session-file.ts). Every failure is one clear AquilaError line.
 */
import { AuthError, StateError, ValidationError } from '../../drivers/errors';
import { readSession } from './session-file';

export interface HostAddress {
  base: string;
  token: string;
}

export function findHost(): HostAddress {
  const session = readSession();
  const base = process.env.AQUILA_URL ?? session?.url;
  const token = process.env.AQUILA_TOKEN ?? session?.token;
  if (!base || !token)
    throw new StateError(
      'No running host found: start one with "npm run serve", or set AQUILA_URL and AQUILA_TOKEN',
    );
  return { base, token };
}

export interface HostOutcome {
  ok: boolean;
  value?: unknown;
  error?: { code: string; message: string };
}

/** GET (no body) or POST (JSON body) `route` on the host; answers the parsed JSON body. */
export async function requestHost(
  host: HostAddress,
  route: string,
  body?: string,
): Promise<{ status: number; json: unknown }> {
  let url: URL;
  try {
    url = new URL(route, host.base);
  } catch {
    throw new ValidationError(`The host address "${host.base}" is not a URL (AQUILA_URL?)`);
  }
  let res: Response;
  try {
    res = await fetch(url, {
      method: body === undefined ? 'GET' : 'POST',
      headers: {
        Authorization: `Bearer ${host.token}`,
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      body,
    });
  } catch (err) {
    const cause = (err as Error & { cause?: unknown }).cause;
    throw new StateError(
      `Cannot reach the host at ${host.base}: ${cause ? String(cause) : (err as Error).message}`,
    );
  }
  let json: unknown;
  try {
    json = await res.json();
  } catch {
    throw new StateError(
      `The host at ${host.base} answered ${route} with HTTP ${res.status}, not JSON`,
    );
  }
  if (res.status === 401)
    throw new AuthError(
      (json as HostOutcome | null)?.error?.message ?? `Not authorised by the host at ${host.base}`,
    );
  return { status: res.status, json };
}
