import type { AppState } from '../../../electron/api/contract';

export function sampleState(): AppState {
  return {
    instrument: { name: 'sim', configPath: '/tmp/sim.json', version: '0.1.0' },
    safety: {
      estopLatched: false,
      estopReason: null,
      limits: {
        xUm: { min: -5000, max: 5000 },
        yUm: { min: -5000, max: 5000 },
        zUm: { min: 0, max: 200 },
      },
    },
    devices: {
      stage: {
        id: 'stage',
        kind: 'xy-stage',
        driver: 'sim',
        connection: 'connected',
        identity: { vendor: 'Aquila', model: 'SimStage', serial: '1', firmware: '1.0' },
        lastError: null,
        alarms: [],
      },
    },
    stage: { id: 'stage', xUm: 0, yUm: 0, busy: false },
    focus: { id: 'focus', zUm: 50, busy: false },
    lasers: {
      l488: { id: 'l488', wavelengthNm: 488, maxPowerMw: 100, powerMw: 1, emission: false },
    },
    camera: null,
    channels: [],
    activeChannel: null,
    run: null,
    datasets: [],
    storage: {
      datasetsRoot: '/tmp/datasets',
      freeBytes: null,
      totalBytes: null,
      nearlyFull: false,
      uploadTargets: [],
    },
    uploads: [],
    control: { holder: null, clients: [], requests: [] },
    automation: null,
    focusLock: null,
    roiFinder: null,
  };
}
