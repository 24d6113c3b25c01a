/**
 * Status codes GigE Vision (GVCP) and GenCP (USB3 Vision) share, with what they mean to a
 * user. From 0x8008 on the two standards differ: each protocol module adds its own.
 */
export const COMMON_STATUS: Readonly<Record<number, string>> = {
  0x8001: 'not implemented',
  0x8002: 'invalid parameter',
  0x8003: 'invalid address',
  0x8004: 'write protected',
  0x8005: 'bad alignment',
  0x8006: 'access denied',
  0x8007: 'busy',
};
