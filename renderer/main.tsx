// Renderer entry: connect the API (IPC or the browser bridge), start the engine worker, render.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app.js';
import { connectApi } from './api.js';
import { WorkbenchContext } from './context.js';
import { Workbench } from './controller.js';
import { createEngineClient } from './engine/client.js';
import { initI18n } from './i18n.js';
import { createAppStore } from './state/store.js';
import './styles.css';

async function start() {
  initI18n();
  const root = createRoot(document.getElementById('root')!);
  let api;
  try {
    api = await connectApi();
  } catch (e) {
    root.render(<p role="alert">Cannot reach NetLab Workbench ({e instanceof Error ? e.message : String(e)}). Start it again with `netlab ui` and open the URL it prints.</p>);
    return;
  }
  const wb = new Workbench(api, createEngineClient(), createAppStore());
  root.render(
    <StrictMode>
      <WorkbenchContext.Provider value={wb}>
        <App />
      </WorkbenchContext.Provider>
    </StrictMode>,
  );
  void wb.refreshServer();
  const info = await api.call('app.info');
  if (info.ok) wb.saveDir = info.value.saveDir;
  if (info.ok && info.value.openAtStart) void wb.openPath(info.value.openAtStart);
}
void start();
