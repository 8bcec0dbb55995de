import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { BrowserWindow, Menu, app, dialog, ipcMain, safeStorage, session } from 'electron';
import { type Backend, createBackend } from '../server/backend';
import { type RunningBackground, startBackground } from '../server/background';
import { getBackgroundSettings } from '../server/platform/background-settings';
import { useReadAheadWorker } from '../server/billing/read-ahead';
import { useInspectWorker } from '../server/backup/inspect';
import { useIoWorker } from '../server/io/io-thread';
import { generateDemo } from '../server/demo/generate';
import { keyFileSecretBox } from '../server/platform/secrets';
import { safeStorageSecretBox } from './secrets';
import { applySessionPolicy, harden } from './security';
import { isAppUrl } from './trust';

/**
 * The desktop shell: window, menu, IPC binding, dialogs and safeStorage. Everything else
 * (datastore, domain, billing, network) is the plain-Node back end it hosts.
 */
const here = fileURLToPath(new URL('.', import.meta.url));
const rendererUrl = process.env.ELECTRON_RENDERER_URL;
const rendererFile = join(here, '../renderer/index.html');
/** The one page the window may show and accept calls from. */
const appUrl = () => rendererUrl ?? pathToFileURL(rendererFile).href;

function argValue(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : process.argv.find((a) => a.startsWith(`${name}=`))?.slice(name.length + 1);
}

const demo = process.argv.includes('--demo');
const dataDir = argValue('--data-dir') ?? process.env.TOWERLINE_DATA_DIR ?? (demo ? mkdtempSync(join(tmpdir(), 'towerline-demo-')) : app.getPath('userData'));

let backend: Backend | undefined;
let background: RunningBackground | undefined;

/**
 * For a one-computer ISP: the RADIUS server and the network, FreeRADIUS, backup and daily jobs run
 * inside the desktop app while it is open, when the "run on this computer" setting says so
 * (background.settings; applies at the next start). Otherwise server mode runs them.
 */
async function startBackgroundIfChosen(b: Backend): Promise<void> {
  const setting = await getBackgroundSettings(b.datastore.db);
  if (!setting.runOnThisComputer) return;
  background = await startBackground(b, { radius: { host: setting.radiusHost, authPort: setting.radiusAuthPort, acctPort: setting.radiusAcctPort } });
}

async function offerDemoData(b: Backend, window: BrowserWindow): Promise<void> {
  const count = await b.call('subscriptions.list', { pageSize: 1 });
  if (!count.ok || (count.value as { total: number }).total > 0) return;
  const answer = demo
    ? { response: 1 }
    : await dialog.showMessageBox(window, {
        type: 'question',
        buttons: ['Start empty', 'Load the demo ISP'],
        defaultId: 1,
        title: 'Welcome to Towerline',
        message: 'This datastore is empty.',
        detail: 'Load a demo ISP with about 2,000 subscribers to look around? You can start over with an empty data directory at any time.',
      });
  if (answer.response === 1) {
    await generateDemo(b.datastore.db, { subscribers: 2000 });
    window.webContents.reload();
  }
}

function createWindow(): BrowserWindow {
  const window = new BrowserWindow({
    width: 1360,
    height: 860,
    title: 'Towerline',
    show: false,
    webPreferences: {
      preload: join(here, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webviewTag: false,
      spellcheck: true,
    },
  });
  window.once('ready-to-show', () => window.show());
  if (rendererUrl) void window.loadURL(rendererUrl);
  else void window.loadFile(rendererFile);
  return window;
}

const NOT_FROM_APP = { ok: false, error: { code: 'unauthorized', message: 'Calls are accepted from the Towerline window only.' } } as const;

/** Only our own top-level page may call the back end or print (VS Code's validatedIpcMain). */
function fromAppWindow(event: Electron.IpcMainInvokeEvent): boolean {
  const frame = event.senderFrame;
  return !!frame && !frame.parent && isAppUrl(frame.url, appUrl());
}

function bindIpc(b: Backend): void {
  ipcMain.handle('towerline:invoke', async (event, procedure: unknown, input: unknown, staffId: unknown) => {
    if (!fromAppWindow(event)) return NOT_FROM_APP;
    if (typeof procedure !== 'string') return { ok: false, error: { code: 'validation', message: 'Procedure name must be text.' } };
    return b.call(procedure, input, { staffId: typeof staffId === 'number' ? staffId : null });
  });
  ipcMain.handle('towerline:print', async (event, options: { pdf?: boolean; title?: string } | undefined) => {
    if (!fromAppWindow(event)) return NOT_FROM_APP;
    const contents = event.sender;
    if (options?.pdf) {
      const { filePath, canceled } = await dialog.showSaveDialog({ defaultPath: `${options.title ?? 'Towerline'}.pdf`, filters: [{ name: 'PDF', extensions: ['pdf'] }] });
      if (canceled || !filePath) return { ok: true, value: { saved: null } };
      const pdf = await contents.printToPDF({ printBackground: true, pageSize: 'Letter' });
      const { writeFile } = await import('node:fs/promises');
      await writeFile(filePath, pdf);
      return { ok: true, value: { saved: filePath } };
    }
    return new Promise((resolve) => {
      contents.print({ printBackground: true }, (success, failureReason) =>
        resolve(success ? { ok: true, value: { printed: true } } : { ok: false, error: { code: 'refused', message: `Printing did not finish: ${failureReason}` } }),
      );
    });
  });
}

app.enableSandbox();
harden(app, appUrl);
// The billing run's read-ahead worker, built beside this file as an entry of its own (electron.vite.config.ts).
useReadAheadWorker(new URL('./read-ahead-worker.js', import.meta.url));
// The restore check's worker, likewise (electron/server/backup/inspect.ts).
useInspectWorker(new URL('./inspect-worker.js', import.meta.url));
// Imports' and exports' spreadsheet work, likewise (electron/server/io/io-thread.ts).
useIoWorker(new URL('./io-worker.js', import.meta.url));

app.whenReady().then(async () => {
  applySessionPolicy(session.defaultSession);
  Menu.setApplicationMenu(
    Menu.buildFromTemplate([
      { role: 'fileMenu' },
      { role: 'editMenu' },
      { role: 'viewMenu' },
      { role: 'windowMenu' },
      { role: 'help', submenu: [{ label: `Data directory: ${dataDir}`, enabled: false }] },
    ]),
  );
  const secrets = safeStorage.isEncryptionAvailable() ? safeStorageSecretBox() : keyFileSecretBox(dataDir);
  backend = await createBackend({ dataDir, secrets });
  bindIpc(backend);
  await startBackgroundIfChosen(backend).catch((error: unknown) => console.error('[towerline] background jobs did not start', error));
  const window = createWindow();
  window.webContents.once('did-finish-load', () => void offerDemoData(backend!, window));
});

app.on('window-all-closed', () => app.quit());
let quitting = false;
app.on('will-quit', (event) => {
  if (quitting) return;
  // Let the jobs finish what they are writing before the datastore closes.
  quitting = true;
  event.preventDefault();
  void (async () => {
    await background?.stop().catch(() => {});
    await backend?.close();
    app.quit();
  })();
});
