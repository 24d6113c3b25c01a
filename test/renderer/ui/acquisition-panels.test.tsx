/**
 * The acquisition, dataset, upload and disk panels rendered to markup in Node for a given
 * host state (react-dom/server; effects such as the estimate calls do not run).
 */
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { AppState, RunView, UploadView } from '../../../electron/api/contract';
import { HostClient } from '../../../renderer/state/host-client';
import { mirrorFromHello } from '../../../renderer/state/mirror';
import { createAppStore } from '../../../renderer/state/store';
import type { HostConnection } from '../../../renderer/transport/host-connection';
import { App } from '../../../renderer/ui/app';
import { outcomeClass } from '../../../renderer/ui/dataset-list';
import { HostContext } from '../../../renderer/ui/host-context';
import { baseName, uploadActions } from '../../../renderer/ui/upload-panel';
import { sampleState } from '../state/sample-state';

const idleConnection: HostConnection = {
  transport: 'websocket',
  start: () => undefined,
  call: () => Promise.reject(new Error('not used')),
  setFramesEnabled: () => undefined,
  ackFrame: () => undefined,
  resync: () => undefined,
  close: () => undefined,
};

function state(edit: (s: AppState) => void = () => undefined): AppState {
  const s: AppState = {
    ...sampleState(),
    channels: [{ name: 'GFP', laserId: 'l488', powerMw: 10, exposureMs: 20 }],
    storage: {
      datasetsRoot: '/data',
      freeBytes: 3 * 2 ** 30,
      totalBytes: 100 * 2 ** 30,
      nearlyFull: false,
      uploadTargets: ['ceph', 'nas'],
    },
    uploads: [],
  };
  edit(s);
  return s;
}

function render(s: AppState): string {
  const store = createAppStore({
    mirror: mirrorFromHello(s, 1),
    link: { state: 'connected', detail: null, transport: 'websocket' },
  });
  return renderToStaticMarkup(
    <HostContext.Provider value={new HostClient(idleConnection, store)}>
      <App />
    </HostContext.Provider>,
  );
}

/** The opening tag of the element carrying data-testid=id. */
function tagOf(html: string, id: string): string | null {
  return new RegExp(`<[^>]*data-testid="${id}"[^>]*>`).exec(html)?.[0] ?? null;
}
function textOf(html: string, id: string): string | null {
  const m = new RegExp(`data-testid="${id}"[^>]*>(.*?)</`, 's').exec(html);
  return m ? m[1]!.replace(/<[^>]+>/g, '') : null;
}
const disabled = (html: string, id: string) => /\sdisabled=""/.test(tagOf(html, id) ?? '');

const run = (over: Partial<RunView>): RunView => ({
  name: 'r1',
  dir: '/data/r1',
  format: 'ome-zarr-0.4',
  state: 'running',
  pauseRequested: false,
  eventIndex: 3,
  eventTotal: 12,
  framesWritten: 3,
  framesDropped: 0,
  bytesWritten: 3 * 2 ** 20,
  dataRateBytesPerS: 2 ** 20,
  etaS: 185,
  startedAtMs: 1,
  endedAtMs: null,
  errors: [],
  failure: null,
  ...over,
});

describe('acquisition panel', () => {
  it('lists the presets; start waits for a valid plan (no channel chosen yet)', () => {
    const html = render(state());
    expect(tagOf(html, 'acq-channel-GFP')).toMatch(/type="checkbox"/);
    expect(tagOf(html, 'acq-channel-GFP-exposure')).toMatch(/placeholder="20"/);
    expect(textOf(html, 'acq-plan-errors')).toBe('channels: choose at least one channel');
    expect(disabled(html, 'acq-start')).toBe(true);
    expect(tagOf(html, 'acq-plan-save')).toMatch(/aria-disabled="true"/);
    expect(tagOf(html, 'run-state')).toMatch(/data-state="none"/);
  });

  it('a running run: progress, ETA, rate, pause and cancel enabled', () => {
    const html = render(state((s) => (s.run = run({}))));
    expect(tagOf(html, 'run-state')).toMatch(/data-state="running"/);
    expect(tagOf(html, 'run-progress')).toMatch(/aria-valuenow="3"/);
    expect(tagOf(html, 'run-progress')).toMatch(/aria-valuemax="12"/);
    expect(html).toContain('3 / 12 events');
    expect(textOf(html, 'run-eta')).toBe('3 min 05 s');
    expect(textOf(html, 'run-rate')).toBe('1.00 MiB/s');
    expect(disabled(html, 'acq-start')).toBe(true);
    expect(disabled(html, 'acq-pause')).toBe(false);
    expect(disabled(html, 'acq-resume')).toBe(true);
    expect(disabled(html, 'acq-cancel')).toBe(false);
    expect(tagOf(html, 'acq-form')).toMatch(/disabled=""/);
    expect(html).not.toContain('run-dropped-warning');
  });

  it('a running run says where it is: t, position, channel, z and the target (1-based)', () => {
    const html = render(
      state(
        (s) =>
          (s.run = run({
            current: {
              index: { t: 2, p: 0, c: 1, z: 3 },
              channel: 'GFP',
              position: 'well A1',
              xUm: 100,
              yUm: -50.123,
              zUm: 2.5,
            },
            axisSizes: { t: 30, p: 2, c: 2, z: 5 },
          })),
      ),
    );
    expect(textOf(html, 'run-now')).toBe(
      'now: t 3/30 · position 1/2 (well A1) · channel GFP · z 4/5 · at 100, -50.12, 2.5 µm',
    );
    const done = render(state((s) => (s.run = run({ state: 'finished', current: null }))));
    expect(done).not.toContain('run-now');
  });

  it('paused: only resume and cancel; drops, skipped events and failure are shown', () => {
    const paused = render(state((s) => (s.run = run({ state: 'paused' }))));
    expect(disabled(paused, 'acq-pause')).toBe(true);
    expect(disabled(paused, 'acq-resume')).toBe(false);
    // Issue #18 §9: while paused, ETA and rate say so instead of freezing at old values.
    expect(textOf(paused, 'run-eta')).toBe('paused (3 min 05 s left)');
    expect(textOf(paused, 'run-rate')).toBe('paused');
    const failed = render(
      state(
        (s) =>
          (s.run = run({
            state: 'failed',
            framesDropped: 2,
            errors: [{ eventIndex: 4, message: 'stage timeout' }],
            failure: { name: 'StorageError', code: 'E_STORAGE', message: 'disk full' },
          })),
      ),
    );
    expect(textOf(failed, 'run-dropped-warning')).toBe(
      '2 frames were dropped: the dataset is missing them.',
    );
    expect(textOf(failed, 'run-errors')).toBe('event 4 skipped: stage timeout');
    expect(textOf(failed, 'run-failure')).toBe('Run failed: disk full (E_STORAGE)');
    expect(disabled(failed, 'acq-cancel')).toBe(true);
  });
});

describe('datasets, uploads, disk', () => {
  it('datasets: outcome colour, counts, archive buttons only when closed', () => {
    const html = render(
      state((s) => {
        s.datasets = [
          {
            name: 'a',
            dir: '/data/a',
            outcome: 'complete',
            startedAt: null,
            framesWritten: 6,
            closed: true,
          },
          {
            name: 'b',
            dir: '/data/b',
            outcome: 'interrupted',
            startedAt: null,
            framesWritten: null,
            closed: false,
          },
        ];
        s.uploads = [upload({ dataset: '/data/a', target: 'nas', state: 'uploading' })];
      }),
    );
    expect(tagOf(html, 'dataset-a-outcome')).toMatch(/class="outcome ok"/);
    expect(tagOf(html, 'dataset-b-outcome')).toMatch(/class="outcome warn"/);
    expect(textOf(html, 'dataset-a-frames')).toBe('6 frames');
    expect(textOf(html, 'dataset-b-frames')).toBe('— frames');
    expect(textOf(html, 'archive-a-ceph')).toBe('Archive to ceph');
    expect(disabled(html, 'archive-a-ceph')).toBe(false);
    expect(disabled(html, 'archive-a-nas')).toBe(true); // already uploading there
    expect(html).not.toContain('archive-b-');
    expect(outcomeClass('failed')).toBe('bad');
    expect(outcomeClass('cancelled')).toBe('dim');
  });

  it('datasets: size, format, dimensions, path, reason, archived; failed and empty not archivable', () => {
    const base = {
      startedAt: null,
      closed: true,
      format: 'ome-zarr-0.4',
      sizes: { t: 2, c: 1, z: 3, y: 256, x: 512 },
      bytes: 3 * 2 ** 20,
    };
    const html = render(
      state((s) => {
        s.datasets = [
          { ...base, name: 'a', dir: '/data/a', outcome: 'complete', framesWritten: 6 },
          {
            ...base,
            name: 'f',
            dir: '/data/f',
            outcome: 'failed',
            framesWritten: 2,
            framesExpected: 6,
            reason: 'disk full while writing frame 3',
          },
          { ...base, name: 'e', dir: '/data/e', outcome: 'cancelled', framesWritten: 0 },
        ];
        s.uploads = [upload({ dataset: '/data/a', target: 'nas', state: 'done' })];
      }),
    );
    expect(textOf(html, 'dataset-a-size')).toBe('3.00 MiB');
    expect(textOf(html, 'dataset-a-format')).toBe('ome-zarr-0.4');
    expect(textOf(html, 'dataset-a-dims')).toBe('t 2 · c 1 · z 3 · 512×256 px');
    expect(textOf(html, 'dataset-a-path')).toBe('/data/a');
    expect(textOf(html, 'dataset-a-archived')).toBe('archived on nas');
    expect(textOf(html, 'dataset-f-reason')).toBe('disk full while writing frame 3');
    expect(textOf(html, 'dataset-f-frames')).toBe('2 of 6 frames');
    expect(textOf(html, 'dataset-f-not-archivable')).toBe('failed: not archived');
    expect(textOf(html, 'dataset-e-not-archivable')).toBe('empty: not archived');
    expect(html).not.toContain('archive-f-');
    expect(html).not.toContain('archive-e-');
    expect(html).toContain('data-testid="archive-a-ceph"');
    // Saved images open in the viewer (OME-Zarr with frames), not for an empty dataset.
    expect(html).toContain('data-testid="view-a"');
    expect(html).not.toContain('data-testid="view-e"');
  });

  it('uploads: state, progress, rate/ETA while moving, reason and retry when failed', () => {
    const html = render(
      state((s) => {
        s.uploads = [
          upload({ id: 'u1', state: 'uploading', bytesDone: 2 ** 20, etaS: 42 }),
          upload({ id: 'u2', state: 'failed', reason: 'archive: permission denied' }),
        ];
      }),
    );
    expect(tagOf(html, 'upload-u1-state')).toMatch(/data-state="uploading"/);
    expect(tagOf(html, 'upload-u1-progress')).toMatch(/aria-valuenow="1048576"/);
    expect(textOf(html, 'upload-u1-rate')).toBe('512 KiB/s');
    expect(textOf(html, 'upload-u1-eta')).toBe('ETA 42 s');
    expect(tagOf(html, 'upload-u1-pause')).not.toBeNull();
    expect(tagOf(html, 'upload-u1-retry')).toBeNull();
    expect(textOf(html, 'upload-u2-reason')).toBe('archive: permission denied');
    expect(tagOf(html, 'upload-u2-retry')).not.toBeNull();
    expect(html).not.toContain('upload-u2-rate');
    expect(uploadActions('done')).toEqual([]);
    expect(uploadActions('paused')).toEqual(['resume', 'cancel']);
    expect(baseName('/data/run-7/')).toBe('run-7');
  });

  it('disk warning banner only when nearly full, with the free space', () => {
    expect(render(state())).not.toContain('disk-warning');
    const html = render(state((s) => (s.storage.nearlyFull = true)));
    expect(textOf(html, 'disk-warning')).toBe(
      'Acquisition disk nearly full: 3.00 GiB free of 100 GiB in /data. Archive and free datasets before the next run.',
    );
  });
});

function upload(over: Partial<UploadView>): UploadView {
  return {
    id: 'u',
    dataset: '/data/a',
    target: 'ceph',
    state: 'queued',
    bytesDone: 0,
    bytesTotal: 4 * 2 ** 20,
    rateBytesPerS: 512 * 1024,
    etaS: null,
    attempts: 1,
    enqueuedAtMs: 0,
    localFreed: false,
    ...over,
  };
}
