/**
 * Preload (sandboxed, bundled to CommonJS): exposes `window.aquila` — one named verb per
 * API command and a host-message subscription — and forwards the frame MessagePort to the
 * page. No raw ipcRenderer, no channel names reach the page.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { AquilaBridge, CommandVerbs } from './api/bridge';
import { FRAME_PORT_MESSAGE } from './api/bridge';
import { commandNames } from './api/contract';
import type { HostMessage } from './api/messages';
import { IPC } from './desktop/ipc-channels';

const verbs = Object.fromEntries(
  commandNames.map((name) => [
    name,
    (args: unknown) => ipcRenderer.invoke(IPC.command, name, args),
  ]),
) as unknown as CommandVerbs;

const bridge: AquilaBridge = {
  commands: verbs,
  onHostMessage(listener) {
    const handler = (_e: IpcRendererEvent, msg: HostMessage) => listener(msg);
    ipcRenderer.on(IPC.hostMessage, handler);
    ipcRenderer.send(IPC.subscribe);
    return () => ipcRenderer.removeListener(IPC.hostMessage, handler);
  },
};

ipcRenderer.on(IPC.framePort, (event) => {
  window.postMessage({ type: FRAME_PORT_MESSAGE }, '*', event.ports);
});

contextBridge.exposeInMainWorld('aquila', bridge);
