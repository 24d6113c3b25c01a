/** electron/main.ts and preload.ts with a mocked `electron` module (the binary is not available here). */
import { afterEach, describe, expect, it, vi } from 'vitest';

const created: {
  options: Record<string, unknown>;
  loaded: string[];
  contents: Record<string, unknown>;
}[] = [];
const appHandlers = new Map<string, (...a: unknown[]) => void>();
const exposed: Record<string, unknown> = {};
const rendererListeners = new Map<string, (...a: unknown[]) => void>();
const invoked: unknown[][] = [];
const sentFromRenderer: string[] = [];

vi.mock('electron', () => {
  class BrowserWindow {
    webContents = {
      id: 1,
      handlers: {} as Record<string, unknown>,
      on(ev: string, l: unknown) {
        this.handlers[ev] = l;
      },
      setWindowOpenHandler(h: unknown) {
        this.handlers.windowOpen = h;
      },
      send() {},
      postMessage() {},
      isDestroyed: () => false,
    };
    constructor(options: Record<string, unknown>) {
      created.push({ options, loaded: [], contents: this.webContents.handlers });
      appHandlers.get('web-contents-created')?.({}, this.webContents); // as Electron does
    }
    async loadFile(f: string) {
      created.at(-1)!.loaded.push(f);
    }
  }
  return {
    app: {
      on: (ev: string, l: (...a: unknown[]) => void) => appHandlers.set(ev, l),
      whenReady: () => Promise.resolve(),
      quit: vi.fn(),
      exit: vi.fn(),
    },
    BrowserWindow,
    ipcMain: { handle: vi.fn(), on: vi.fn(), removeHandler: vi.fn(), removeAllListeners: vi.fn() },
    MessageChannelMain: class {
      port1 = { on() {}, start() {}, close() {}, postMessage() {} };
      port2 = {};
    },
    session: {
      defaultSession: {
        webRequest: { onHeadersReceived: vi.fn() },
        setPermissionRequestHandler: vi.fn(),
        setPermissionCheckHandler: vi.fn(),
        setDevicePermissionHandler: vi.fn(),
      },
    },
    contextBridge: { exposeInMainWorld: (k: string, v: unknown) => (exposed[k] = v) },
    ipcRenderer: {
      invoke: (...a: unknown[]) => {
        invoked.push(a);
        return Promise.resolve({ ok: true, value: {} });
      },
      on: (c: string, l: (...a: unknown[]) => void) => rendererListeners.set(c, l),
      send: (c: string) => sentFromRenderer.push(c),
      removeListener: vi.fn(),
    },
  };
});

afterEach(() => {
  vi.resetModules();
});

describe('electron/main.ts', () => {
  it('opens one locked-down window on the built UI', async () => {
    process.removeAllListeners('uncaughtException'); // guards installed below are process-wide
    await import('../../../electron/main');
    await vi.waitFor(() => expect(created[0]?.loaded.length).toBe(1), { timeout: 5_000 });
    const prefs = created[0]!.options.webPreferences as Record<string, unknown>;
    expect(prefs).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
    });
    expect(String(prefs.preload)).toMatch(/preload\.cjs$/);
    expect(created[0]!.loaded[0]).toMatch(/renderer[/\\]index\.html$/);
    const navigate = created[0]!.contents['will-navigate'] as (
      e: { preventDefault(): void },
      url: string,
    ) => void;
    const prevent = vi.fn();
    navigate({ preventDefault: prevent }, 'https://example.org/');
    expect(prevent).toHaveBeenCalled();
    const trusted = new URL(`file://${created[0]!.loaded[0]}`).href;
    const allowed = vi.fn();
    navigate({ preventDefault: allowed }, trusted);
    expect(allowed).not.toHaveBeenCalled();
    const open = created[0]!.contents.windowOpen as () => { action: string };
    expect(open().action).toBe('deny');
    // any frame, and any web contents created later, may not leave our page
    const frameNavigate = created[0]!.contents['will-frame-navigate'] as (e: {
      preventDefault(): void;
      url: string;
      isMainFrame: boolean;
    }) => void;
    const framePrevent = vi.fn();
    frameNavigate({
      preventDefault: framePrevent,
      url: 'https://example.org/',
      isMainFrame: false,
    });
    expect(framePrevent).toHaveBeenCalledTimes(1);
    frameNavigate({ preventDefault: framePrevent, url: trusted, isMainFrame: true });
    expect(framePrevent).toHaveBeenCalledTimes(1);
    const later: Record<string, unknown> = {};
    appHandlers.get('web-contents-created')!(
      {},
      {
        on: (ev: string, l: unknown) => (later[ev] = l),
        setWindowOpenHandler: (h: unknown) => (later.windowOpen = h),
      },
    );
    const webview = vi.fn();
    (later['will-attach-webview'] as (e: { preventDefault(): void }) => void)({
      preventDefault: webview,
    });
    expect(webview).toHaveBeenCalled();
    expect((later.windowOpen as () => { action: string })().action).toBe('deny');
    expect(later['will-navigate']).toBeTypeOf('function');
    const { session } = await import('electron');
    const s = vi.mocked(session.defaultSession);
    const request = s.setPermissionRequestHandler.mock.calls[0]![0] as unknown as (
      wc: unknown,
      p: string,
      cb: (granted: boolean) => void,
    ) => void;
    for (const p of ['media', 'geolocation', 'notifications', 'openExternal', 'fullscreen'])
      request({}, p, (granted) => expect(granted).toBe(false));
    const check = s.setPermissionCheckHandler.mock.calls[0]![0] as unknown as (
      wc: unknown,
      p: string,
    ) => boolean;
    for (const p of ['media', 'clipboard-read', 'serial', 'usb', 'hid'])
      expect(check({}, p)).toBe(false);
    const device = s.setDevicePermissionHandler.mock.calls[0]![0] as unknown as (
      d: object,
    ) => boolean;
    expect(device({ deviceType: 'serial', origin: 'file://' })).toBe(false);
    const headers = vi.mocked(session.defaultSession.webRequest.onHeadersReceived).mock
      .calls[0]![0] as unknown as (
      d: object,
      cb: (r: { responseHeaders: Record<string, string[]> }) => void,
    ) => void;
    let csp: string[] = [];
    headers({ responseHeaders: {} }, (r) => (csp = r.responseHeaders['Content-Security-Policy']!));
    expect(csp[0]).toContain("default-src 'self'");
    expect(appHandlers.has('before-quit')).toBe(true);
    expect(appHandlers.has('window-all-closed')).toBe(true);
    for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.removeAllListeners(sig);
    process.removeAllListeners('uncaughtException');
    process.removeAllListeners('unhandledRejection');
  });
});

describe('electron/preload.ts', () => {
  it('exposes one named verb per API command and no raw channel access', async () => {
    await import('../../../electron/preload');
    const bridge = exposed.aquila as {
      commands: Record<string, (a: unknown) => Promise<unknown>>;
      onHostMessage: unknown;
    };
    const { commandNames } = await import('../../../electron/api/contract');
    expect(Object.keys(bridge.commands).sort()).toEqual([...commandNames].sort());
    expect(Object.keys(bridge).sort()).toEqual(['commands', 'onHostMessage']);
    await bridge.commands['stage.moveTo']!({ xUm: 1, yUm: 2 });
    expect(invoked.at(-1)).toEqual(['aquila:command', 'stage.moveTo', { xUm: 1, yUm: 2 }]);
    (bridge.onHostMessage as (l: () => void) => void)(() => undefined);
    expect(sentFromRenderer).toEqual(['aquila:subscribe']);
    expect(rendererListeners.has('aquila:frame-port')).toBe(true);
  });
});
