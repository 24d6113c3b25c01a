/**
 * Electron entry: thin by design. Everything it wires runs in plain Node and is tested
 * without Electron (host, IPC host, window security); this file only connects them.
 */
import './host/thread-pool';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { app, BrowserWindow, ipcMain, MessageChannelMain, session } from 'electron';
import { loadConfig } from './config/load';
import { setupIpcHost } from './desktop/ipc-host';
import { lockDownApp, lockDownSession, windowWebPreferences } from './desktop/window-security';
import type { Host } from './host/host';
import { installProcessGuards } from './host/process-guards';
import { createSupervisedHost } from './safety/supervisor/supervised-host';

const here = __dirname; // bundled as CommonJS into dist/electron/
const configArg = process.argv.find((a) => a.startsWith('--config='))?.slice('--config='.length);

async function start(): Promise<void> {
  const host: Host = await createSupervisedHost(
    await loadConfig(configArg ?? process.env.AQUILA_CONFIG),
  );
  installProcessGuards(host);
  lockDownSession(session.defaultSession);

  const indexFile = path.join(here, '../renderer/index.html');
  const trustedUrl = pathToFileURL(indexFile).href;
  lockDownApp(app, trustedUrl); // before the window: its web contents is the first one
  const win = new BrowserWindow({
    width: 1500,
    height: 950,
    title: 'Aquila',
    backgroundColor: '#101317',
    webPreferences: windowWebPreferences(path.join(here, 'preload.cjs')),
  });
  const teardownIpc = setupIpcHost({
    host,
    ipcMain,
    window: win,
    trustedUrl,
    createChannel: () => new MessageChannelMain(),
  });

  app.on('before-quit', (e) => {
    if (quitting) return;
    e.preventDefault();
    quitting = true;
    teardownIpc();
    void host.shutdown('application quit').finally(() => app.quit());
  });
  await win.loadFile(indexFile);
}

let quitting = false;
app.on('window-all-closed', () => app.quit());
app.whenReady().then(start, (err: unknown) => {
  console.error(err);
  app.exit(1);
});
