/** IPC channel names between the Electron main process and our preload. Declared once. */
export const IPC = {
  /** invoke(name, args) → CallOutcome */
  command: 'aquila:command',
  /** renderer → main: start sending host messages (hello first) and a frame port */
  subscribe: 'aquila:subscribe',
  /** main → renderer: HostMessage */
  hostMessage: 'aquila:host-message',
  /** main → renderer: carries the frame MessagePort */
  framePort: 'aquila:frame-port',
} as const;
