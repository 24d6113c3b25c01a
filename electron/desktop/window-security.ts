/**
 * Security settings of the Aquila window, kept out of main.ts so they are unit-tested:
 * isolated, sandboxed renderer without Node; a strict CSP on every response; every web
 * contents the app ever creates (the window, and anything that should not exist) may show
 * only our page: navigation of any frame elsewhere, new windows and webviews are denied;
 * every permission request and check, and device access (HID, serial, USB), is denied (the
 * UI needs none).
 */
import { CONTENT_SECURITY_POLICY } from '../remote/static-files';

export function windowWebPreferences(preloadPath: string) {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    spellcheck: false,
  } as const;
}

interface Preventable {
  preventDefault(): void;
}

export interface ContentsLike {
  on(event: 'will-navigate', listener: (e: Preventable, url: string) => void): void;
  on(event: 'will-frame-navigate', listener: (e: Preventable & { url: string }) => void): void;
  on(event: 'will-attach-webview', listener: (e: Preventable) => void): void;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void;
}

export interface SessionLike {
  webRequest: {
    onHeadersReceived(
      listener: (
        details: { responseHeaders?: Record<string, string[]> },
        callback: (response: { responseHeaders: Record<string, string[]> }) => void,
      ) => void,
    ): void;
  };
  setPermissionRequestHandler(
    handler: (wc: unknown, permission: string, callback: (granted: boolean) => void) => void,
  ): void;
  setPermissionCheckHandler(handler: (wc: unknown, permission: string) => boolean): void;
  setDevicePermissionHandler(handler: (details: unknown) => boolean): void;
}

export interface AppLike {
  on(event: 'web-contents-created', listener: (e: unknown, contents: ContentsLike) => void): void;
}

/** Our page may load in the main frame; nothing else may load in any frame. */
export function lockDownContents(contents: ContentsLike, trustedUrl: string): void {
  contents.on('will-navigate', (e, url) => {
    if (url !== trustedUrl) e.preventDefault();
  });
  contents.on('will-frame-navigate', (e) => {
    if (e.url !== trustedUrl) e.preventDefault();
  });
  contents.on('will-attach-webview', (e) => e.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}

/** Applies lockDownContents to every web contents the app creates, from the first one on. */
export function lockDownApp(app: AppLike, trustedUrl: string): void {
  app.on('web-contents-created', (_e, contents) => lockDownContents(contents, trustedUrl));
}

export function lockDownSession(session: SessionLike): void {
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: {
        ...details.responseHeaders,
        'Content-Security-Policy': [CONTENT_SECURITY_POLICY],
      },
    });
  });
  session.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
}
