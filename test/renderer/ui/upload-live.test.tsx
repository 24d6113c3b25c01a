/** The upload panel's live-archiving line and re-sent bytes, rendered to markup in Node. */
import { renderToStaticMarkup } from 'react-dom/server';
import { expect, it } from 'vitest';
import type { UploadView } from '../../../electron/api/contract';
import { HostClient } from '../../../renderer/state/host-client';
import { mirrorFromHello } from '../../../renderer/state/mirror';
import { createAppStore } from '../../../renderer/state/store';
import type { HostConnection } from '../../../renderer/transport/host-connection';
import { HostContext } from '../../../renderer/ui/host-context';
import { UploadPanel } from '../../../renderer/ui/upload-panel';
import { sampleState } from '../state/sample-state';

const idle: HostConnection = {
  transport: 'websocket',
  start: () => undefined,
  call: () => Promise.reject(new Error('not used')),
  setFramesEnabled: () => undefined,
  ackFrame: () => undefined,
  resync: () => undefined,
  close: () => undefined,
};

function render(uploads: UploadView[]): string {
  const store = createAppStore({
    mirror: mirrorFromHello({ ...sampleState(), uploads }, 1),
    link: { state: 'connected', detail: null, transport: 'websocket' },
  });
  return renderToStaticMarkup(
    <HostContext.Provider value={new HostClient(idle, store)}>
      <UploadPanel />
    </HostContext.Provider>,
  );
}

const base: UploadView = {
  id: 'u',
  dataset: '/data/run-1',
  target: 'ceph',
  state: 'uploading',
  bytesDone: 0,
  bytesTotal: 0,
  rateBytesPerS: 0,
  etaS: null,
  attempts: 0,
  enqueuedAtMs: 0,
  localFreed: false,
};

const text = (html: string, id: string) =>
  new RegExp(`data-testid="${id}"[^>]*>(.*?)</div>`)
    .exec(html)?.[1]
    ?.replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();

it('shows acquired vs archived bytes and the lag for a run archived live', () => {
  const html = render([
    { ...base, live: { acquiredBytes: 3 * 2 ** 30, archivedBytes: 2 * 2 ** 30, lagS: 4.25 } },
  ]);
  expect(text(html, 'upload-u-live')).toBe(
    'archiving live: 2.00 GiB archived of 3.00 GiB acquired lag 4.3 s',
  );
});

it('shows bytes re-sent after interruptions, and neither line otherwise', () => {
  expect(render([{ ...base, bytesResent: 5 * 2 ** 20 }])).toContain(
    '5.00 MiB re-sent after interruptions',
  );
  const plain = render([base]);
  expect(plain).not.toContain('upload-u-live');
  expect(plain).not.toContain('re-sent');
});
