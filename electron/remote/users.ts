/**
 * Named remote users: `<data dir>/users.json` (mode 0600), `{"version":1,"users":[…]}` with
 * one `{name, role, tokenSha256, createdAtMs}` per user. Tokens are 32 random bytes
 * (256 bits) made here and shown once; only their SHA-256 is stored. A slow password hash
 * (scrypt) protects low-entropy secrets against guessing; a 256-bit random token cannot be
 * guessed, so one SHA-256 is enough — and it keeps every request's check cheap, where scrypt
 * at ~50 ms per attempt would hand a flood of bad logins the CPU.
 *
 * The file is re-read when it changes, so `aquila users revoke` takes effect on a running
 * server at its next request.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { StateError, ValidationError } from '../../drivers/errors';
import { formatIssues } from '../../drivers/validation';
import { roleName, type Role } from '../api/contract';

export const USERS_FILE = 'users.json';
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

const userRecord = z
  .object({
    name: z.string().regex(NAME),
    role: roleName,
    tokenSha256: z.string().regex(/^[0-9a-f]{64}$/),
    createdAtMs: z.number(),
  })
  .strict();
const usersFile = z.object({ version: z.literal(1), users: z.array(userRecord) }).strict();
export type UserRecord = z.infer<typeof userRecord>;

export interface Identity {
  user: string;
  role: Role;
}

export function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

export class UserStore {
  readonly file: string;
  private cache: { mtimeMs: number; size: number; users: UserRecord[] } | null = null;

  constructor(dir: string) {
    this.file = path.join(dir, USERS_FILE);
  }

  list(): UserRecord[] {
    let st: fs.Stats;
    try {
      st = fs.statSync(this.file);
    } catch {
      return [];
    }
    if (this.cache && this.cache.mtimeMs === st.mtimeMs && this.cache.size === st.size)
      return this.cache.users;
    const users = this.read();
    this.cache = { mtimeMs: st.mtimeMs, size: st.size, users };
    return users;
  }

  /** Creates a user; returns the token (shown once, never stored). */
  add(name: string, role: Role): string {
    if (!NAME.test(name))
      throw new ValidationError(
        `User name "${name}": use 1–64 letters, digits, ".", "-", "_", starting with a letter or digit`,
      );
    if (name === 'local')
      throw new ValidationError('User name "local" is reserved for the AQUILA_TOKEN operator');
    const users = this.read();
    if (users.some((u) => u.name === name))
      throw new StateError(`User "${name}" exists; revoke it first to issue a new token`);
    const token = randomBytes(32).toString('base64url');
    users.push({
      name,
      role,
      tokenSha256: sha256(token).toString('hex'),
      createdAtMs: Date.now(),
    });
    this.write(users);
    return token;
  }

  revoke(name: string): void {
    const users = this.read();
    if (!users.some((u) => u.name === name)) throw new StateError(`No user "${name}"`);
    this.write(users.filter((u) => u.name !== name));
  }

  /**
   * The user whose token this is, or null. Compares the SHA-256 against every user in
   * constant time per entry (no early exit), so timing reveals neither user nor prefix.
   */
  authenticate(token: string): Identity | null {
    const digest = sha256(token);
    let found: UserRecord | null = null;
    for (const u of this.list())
      if (timingSafeEqual(digest, Buffer.from(u.tokenSha256, 'hex')) && !found) found = u;
    return found ? { user: found.name, role: found.role } : null;
  }

  /** Whether `name` still exists with this role (sessions end when a user is revoked). */
  stillValid(id: Identity): boolean {
    return this.list().some((u) => u.name === id.user && u.role === id.role);
  }

  private read(): UserRecord[] {
    let text: string;
    try {
      text = fs.readFileSync(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw new StateError(`Cannot read ${this.file}: ${(err as Error).message}`);
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (err) {
      throw new ValidationError(`${this.file} is not valid JSON: ${(err as Error).message}`);
    }
    const parsed = usersFile.safeParse(json);
    if (!parsed.success)
      throw new ValidationError(
        `${this.file} is invalid: ${formatIssues(parsed.error).join('; ')}`,
      );
    return parsed.data.users;
  }

  private write(users: UserRecord[]): void {
    fs.mkdirSync(path.dirname(this.file), { recursive: true, mode: 0o700 });
    const tmp = `${this.file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify({ version: 1, users }, null, 2) + '\n', { mode: 0o600 });
    fs.renameSync(tmp, this.file);
    this.cache = null;
  }
}
